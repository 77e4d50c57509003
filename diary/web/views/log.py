"""The morning log: last night or any past night, one tap for "no cramps", undo, delete."""

import uuid
from dataclasses import replace
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import patient_required
from diary.domain.checks import night_problems
from diary.domain.exchange import night_from_dict
from diary.domain.records import SLEEP_FIELDS, NightRecord
from diary.models import Night, UndoRecord
from diary.services import outbox
from diary.services.dates import last_night, patient_today
from diary.services.nights import (
    heat_caution_after,
    night_delete,
    night_get,
    night_restore,
    night_save_once,
    night_saved_with,
    undo_forget,
    undo_get,
    undo_remember,
)
from diary.web.forms import (
    CrampForm,
    CrampFormSet,
    NightForm,
    add_night_problems,
    cramp_data_without,
    error_links,
)

UNDO_KEY = "diary_undo"
CRAMPS = "cramps"  # the cramp formset's prefix in the form's field names
IDEMPOTENCY_KEY = "idempotency_key"  # the hidden field of both log forms (static/js/offline.js)


def _idempotency_key(request) -> uuid.UUID | None:
    """The save's idempotency key: made for each form shown (by the server, and again by
    offline.js in the page); a malformed or missing one means a plain save."""
    try:
        return uuid.UUID(request.POST.get(IDEMPOTENCY_KEY, ""))
    except ValueError:
        return None


def _repeated_save(request):
    """The answer to a save already made with this key: the first save's confirmation."""
    key = _idempotency_key(request)
    earlier = key and night_saved_with(patient=request.user, key=key)
    return redirect("log_saved", night=earlier) if earlier else None


def _latest(request) -> date:
    return last_night(patient_today(request.user))


def _remember_undo(request, night: date, previous: NightRecord | None, saved: NightRecord):
    """Keeps what the night was before a save, so the confirmation page can put it back, and
    what the save wrote, so that an undo never overwrites a later change (an import, say). In
    the database, for this patient: the session keeps only the record's id, so the undo is
    this session's alone, and session data holds no diary contents."""
    request.session[UNDO_KEY] = undo_remember(
        patient=request.user,
        night=night,
        previous=previous,
        saved=saved,
        replacing=request.session.get(UNDO_KEY),
    )


def _undo_for(request, night: date) -> UndoRecord | None:
    return undo_get(patient=request.user, undo_id=request.session.get(UNDO_KEY), night=night)


def _refused(request, night: date):
    """A save whose owner token does not name this session (diary/services/outbox.py): nothing
    saved, nothing of what was sent shown back (it may be another account's), the night's page
    offered."""
    return render(request, "diary/log_refused.html", {"night": night}, status=409)


def _future_night(request, night: date, latest: date):
    return render(
        request,
        "diary/log_future.html",
        {"night": night, "latest": latest},
        status=400,
    )


@patient_required
@require_http_methods(["GET", "POST"])
def log_last_night(request):
    """/log/: last night in the patient's own time zone; ?date= picks another night."""
    picked = request.GET.get("date")
    if picked:
        try:
            return redirect("log_night", night=date.fromisoformat(picked))
        except ValueError:
            messages.error(request, _("Please pick a date with the calendar."))
            return redirect("log")
    return _log_page(request, _latest(request))


@patient_required
@require_http_methods(["GET", "POST"])
def log_night(request, night: date):
    return _log_page(request, night)


def _with_one_more_cramp(data):
    data = data.copy()
    total = f"{CRAMPS}-TOTAL_FORMS"
    count = data.get(total, "0")
    # A tampered count ("²", thousands of digits) is left for the formset to refuse.
    if count.isascii() and count.isdigit() and len(count) <= 3:
        data[total] = str(int(count) + 1)
    return data


def _earlier_cramp_nights(patient, before: date):
    return Night.objects.filter(patient=patient, date__lt=before, cramps__isnull=False)


def _previous_cramp_night(patient, before: date) -> Night | None:
    return (
        _earlier_cramp_nights(patient, before).prefetch_related("cramps").order_by("-date").first()
    )


def _log_page(request, night: date):
    latest = _latest(request)
    if night > latest:
        return _future_night(request, night, latest)
    existing = night_get(patient=request.user, night=night)

    if request.method == "POST":
        if outbox.save_refusal(request):
            return _refused(request, night)
        if repeated := _repeated_save(request):
            return repeated
        data = request.POST
        changing_rows = "add_cramp" in data or "remove_cramp" in data
        if "add_cramp" in data:  # without JavaScript: the same form, one more row
            data = _with_one_more_cramp(data)
        elif "remove_cramp" in data:  # without JavaScript: the same form, less that cramp
            data = cramp_data_without(data, CRAMPS, data["remove_cramp"])
        night_form = NightForm(data, prefix="night")
        cramp_formset = CrampFormSet(data, prefix=CRAMPS)
        if not changing_rows and night_form.is_valid() and cramp_formset.is_valid():
            record = night_form.to_record(night, cramp_formset.cramp_records())
            problems = night_problems(record, latest=latest)
            if not record.has_answers and existing is None:
                night_form.add_error(None, _("Nothing to save: tap “No cramps” or add a cramp."))
            elif not problems:
                previous = existing.to_record() if existing else None
                key = _idempotency_key(request)
                saved_night, saved = night_save_once(patient=request.user, record=record, key=key)
                if saved:
                    _remember_undo(request, night, previous, record)
                return redirect("log_saved", night=saved_night)
            add_night_problems(night_form, cramp_formset, problems)
    else:
        night_form, cramp_formset = _forms_for(request, night, existing)

    return render(
        request,
        "diary/log.html",
        {
            **_fresh_keys(),
            "answers_open": _answers_open(night_form, cramp_formset, existing),
            # "Same as last time" only when there is a last time to copy.
            "can_copy": not (existing and existing.cramps.exists())
            and _earlier_cramp_nights(request.user, night).exists(),
            "sleep_open": _sleep_open(request.user, night, night_form, existing),
            "errors": error_links(night_form, cramp_formset) if request.method == "POST" else [],
            "night": night,
            "latest": latest,
            "is_last_night": night == latest,
            "existing": existing,
            "night_form": night_form,
            "cramp_formset": cramp_formset,
            "cramp_template": _cramp_template(),
            "action": reverse("log_night", kwargs={"night": night}),
        },
    )


def _fresh_keys() -> dict:
    """A new idempotency key for each of the page's two save forms."""
    return {"no_cramps_key": uuid.uuid4(), "log_key": uuid.uuid4()}


@never_cache
@patient_required
def log_offline(request):
    """The log page's shell, kept by the service worker (static/js/sw.js) for when there is no
    connection: the "No cramps" button and the full, empty log form, with no diary content (no
    logged night, no prompts, no messages). offline.js sets the night and fresh keys when it is
    shown, and keeps what is saved until it can be sent. The worker keeps it under the account
    and session named in X-Outbox-Owner, and drops it when another one signs in."""
    latest = _latest(request)
    night_form, cramp_formset = _forms_for(request, latest, None)
    response = render(
        request,
        "diary/log.html",
        {
            **_fresh_keys(),
            "shell": True,
            "prompt_box": None,
            "messages": (),
            "answers_open": False,
            "sleep_open": False,
            "errors": [],
            "night": latest,
            "latest": latest,
            "is_last_night": True,
            "existing": None,
            "night_form": night_form,
            "cramp_formset": cramp_formset,
            "cramp_template": _cramp_template(),
            "action": reverse("log_night", kwargs={"night": latest}),
        },
    )
    response["X-Outbox-Owner"] = outbox.owner_name(request)
    return response


def _cramp_template() -> str:
    """The blank cramp form that "Add another cramp" copies (log.js): the same for every
    request in a language, so drawn once per process and language (about a third of the page's
    widgets), except in debug, where templates change under a running server."""
    if settings.DEBUG:
        return _blank_cramp_form.__wrapped__(get_language())
    return _blank_cramp_form(get_language())


@lru_cache(maxsize=16)
def _blank_cramp_form(language: str) -> str:
    form = CrampFormSet(prefix=CRAMPS).empty_form
    html = render_to_string(
        "diary/includes/cramp_form.html", {"form": form, "number": "", "index": "__prefix__"}
    )
    return mark_safe(html)  # our own template, with no user input in it


def _answers_open(night_form, cramp_formset, existing: Night | None) -> bool:
    """On a cramp night (or one with answers already) the warning signs are asked openly."""
    if night_form.is_bound:
        data = night_form.cleaned_data if night_form.is_valid() else {}
        has_cramps = cramp_formset.is_valid() and bool(cramp_formset.kept_forms())
        return (
            has_cramps
            or bool(night_form.errors)
            or any(data.get(name) for name in ("red_flags", "symptoms", "daytime_impairment"))
        )
    record = existing.to_record() if existing else None
    return bool(
        record
        and (record.cramps or record.red_flags or record.symptoms or record.daytime_impairment)
    )


def _sleep_open(patient, night: date, night_form, existing: Night | None) -> bool:
    """The "Sleep details" section opens by itself for a patient who uses it: when the form
    brings sleep details or a problem with one, when the night has them, or else when the
    patient's latest logged night before it has them (one query). A new patient never sees it
    open, so it never stands between them and Save."""
    if night_form.is_bound and (night_form.sleep_errors() or night_form.sleep_given()):
        return True
    if existing is not None and any(getattr(existing, name) is not None for name in SLEEP_FIELDS):
        return True
    before = Night.objects.filter(patient=patient, date__lt=night).order_by("-date")
    previous = before.values_list(*SLEEP_FIELDS).first()
    return previous is not None and any(value is not None for value in previous)


def _forms_for(request, night: date, existing: Night | None):
    record = existing.to_record() if existing else NightRecord(night=night)
    cramps = record.cramps
    if request.GET.get("same") and not cramps:
        previous = _previous_cramp_night(request.user, night)
        if previous is None:
            messages.info(request, _("There is no earlier night with cramps to copy."))
        else:
            cramps = previous.to_record().cramps
            messages.info(
                request,
                _("Filled in the cramps of the night of %(date)s. Change anything that differs.")
                % {"date": date_format(previous.date, "l j F")},
            )
    cramp_formset = CrampFormSet(
        prefix=CRAMPS, initial=[CrampForm.initial_from(cramp) for cramp in cramps]
    )
    cramp_formset.extra = 0 if cramps else 1
    return NightForm(prefix="night", initial=NightForm.initial_from(record)), cramp_formset


@patient_required
@require_POST
def log_no_cramps(request, night: date):
    """One tap: a night without cramps. Asks first if that would discard logged cramps."""
    latest = _latest(request)
    if night > latest:
        return _future_night(request, night, latest)
    if outbox.save_refusal(request):
        return _refused(request, night)
    if repeated := _repeated_save(request):
        return repeated
    existing = night_get(patient=request.user, night=night)
    previous = existing.to_record() if existing else None
    key = _idempotency_key(request)
    if previous and previous.cramps and request.POST.get("confirm") != "yes":
        return render(
            request,
            "diary/log_confirm_no_cramps.html",
            {"previous": previous, "idempotency_key": key or uuid.uuid4()},
        )
    record = replace(previous or NightRecord(night=night), cramps=())
    saved_night, saved = night_save_once(patient=request.user, record=record, key=key)
    if saved:
        _remember_undo(request, night, previous, record)
    return redirect("log_saved", night=saved_night)


@patient_required
def log_saved(request, night: date):
    existing = night_get(patient=request.user, night=night)
    if existing is None:
        return redirect("log_night", night=night)
    record = existing.to_record()
    return render(
        request,
        "diary/log_saved.html",
        {
            "night": night,
            "record": record,
            "heat_caution": heat_caution_after(patient=request.user, record=record),
            "can_undo": _undo_for(request, night) is not None,
            "is_last_night": night == _latest(request),
        },
    )


@patient_required
@require_POST
def log_undo(request, night: date):
    undo = _undo_for(request, night)
    if undo is None:
        messages.error(request, _("There is nothing to undo for this night any more."))
        return redirect("log_night", night=night)
    undo_forget(patient=request.user, undo_id=request.session.pop(UNDO_KEY))
    previous = undo.previous
    record = night_from_dict(previous, latest=_latest(request)) if previous else None
    if not night_restore(patient=request.user, night=night, record=record, if_still=undo.saved):
        messages.error(
            request,
            _("This night has changed since that save, so nothing was undone. Check it below."),
        )
        return redirect("log_night", night=night)
    messages.success(request, _("Undone: the night is back as it was."))
    return redirect("log_night", night=night)


@patient_required
@require_http_methods(["GET", "POST"])
def log_delete(request, night: date):
    existing = night_get(patient=request.user, night=night)
    if existing is None:
        messages.info(request, _("That night is not logged."))
        return redirect("history")
    if request.method == "POST":
        night_delete(patient=request.user, night=night)
        undo_forget(patient=request.user, undo_id=request.session.pop(UNDO_KEY, None))
        messages.success(
            request,
            _("Deleted the night of %(date)s.") % {"date": date_format(night, "l j F Y")},
        )
        return redirect("history")
    return render(
        request, "diary/log_delete.html", {"night": night, "record": existing.to_record()}
    )
