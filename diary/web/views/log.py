"""The morning log: last night or any past night, one tap for "no cramps", undo, delete."""

import uuid
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import NamedTuple

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
from diary.domain.advice import warning_sign_level
from diary.domain.checks import night_problems
from diary.domain.exchange import night_from_dict
from diary.domain.records import NightRecord
from diary.services import outbox
from diary.services.dates import last_night, patient_today
from diary.services.nights import (
    cramp_night_before,
    heat_caution_after,
    last_cramp_night,
    night_delete,
    night_record,
    night_restore,
    night_save_once,
    night_saved_with,
    night_with_record,
    sleep_details_lately,
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


def _undo_for(request, night: date):
    """This session's undo record for the night, if it has one."""
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


class _Night(NamedTuple):
    """The night a log page is about: its date, last night, and what is logged for it (as the
    row the template reads, and as a record)."""

    night: date
    latest: date
    existing: object  # the logged row (diary.models.Night) the template reads, or None
    previous: NightRecord | None


def _log_page(request, night: date):
    latest = _latest(request)
    if night > latest:
        return _future_night(request, night, latest)
    page = _Night(night, latest, *night_with_record(patient=request.user, night=night))
    if request.method == "POST":
        return _log_post(request, page)
    night_form, cramp_formset = _forms_for(request, night, page.previous)
    return _log_form(request, page, night_form, cramp_formset)


def _log_post(request, page: _Night):
    """Saves the night, or shows the form again with its problems beside the fields."""
    if outbox.save_refusal(request):
        return _refused(request, page.night)
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
        record = night_form.to_record(page.night, cramp_formset.cramp_records())
        problems = night_problems(record, latest=page.latest)
        if not record.has_answers and page.existing is None:
            night_form.add_error(None, _("Nothing to save: tap “No cramps” or add a cramp."))
        elif not problems:
            return _saved(request, page.previous, record)
        add_night_problems(night_form, cramp_formset, problems)
    return _log_form(request, page, night_form, cramp_formset)


def _saved(request, previous: NightRecord | None, record: NightRecord):
    """Saves the record once for its idempotency key, and goes to the confirmation."""
    key = _idempotency_key(request)
    saved_night, saved = night_save_once(patient=request.user, record=record, key=key)
    if saved:
        _remember_undo(request, record.night, previous, record)
    return redirect("log_saved", night=saved_night)


def _log_form(request, page: _Night, night_form, cramp_formset):
    context = _form_context(page, night_form, cramp_formset)
    context.update(
        answers_open=_answers_open(night_form, cramp_formset, page.previous),
        sleep_open=_sleep_open(request.user, page.night, night_form, page.previous),
        errors=error_links(night_form, cramp_formset) if night_form.is_bound else [],
        # "Same as last time" only when there is a last time to copy.
        can_copy=not (page.previous and page.previous.cramps)
        and cramp_night_before(patient=request.user, before=page.night),
    )
    return render(request, "diary/log.html", context)


def _form_context(page: _Night, night_form, cramp_formset) -> dict:
    """What the log form needs, on its page and in the offline shell alike."""
    return {
        **_fresh_keys(),
        "night": page.night,
        "latest": page.latest,
        "is_last_night": page.night == page.latest,
        "existing": page.existing,
        "night_form": night_form,
        "cramp_formset": cramp_formset,
        "cramp_template": _cramp_template(),
        "action": reverse("log_night", kwargs={"night": page.night}),
    }


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
    context = _form_context(_Night(latest, latest, None, None), *_forms_for(request, latest, None))
    context.update(
        shell=True, prompt_box=None, messages=(), answers_open=False, sleep_open=False, errors=[]
    )
    response = render(request, "diary/log.html", context)
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


def _answers_open(night_form, cramp_formset, record: NightRecord | None) -> bool:
    """On a cramp night (or one with answers already) the warning signs are asked openly."""
    if night_form.is_bound:
        data = night_form.cleaned_data if night_form.is_valid() else {}
        has_cramps = cramp_formset.is_valid() and bool(cramp_formset.kept_forms())
        return (
            has_cramps
            or bool(night_form.errors)
            or any(data.get(name) for name in ("red_flags", "symptoms", "daytime_impairment"))
        )
    return bool(
        record
        and (record.cramps or record.red_flags or record.symptoms or record.daytime_impairment)
    )


def _sleep_open(patient, night: date, night_form, record: NightRecord | None) -> bool:
    """The "Sleep details" section opens by itself for a patient who uses it: when the form
    brings sleep details or a problem with one, when the night has them, or else when the
    patient's latest logged night before it has them (one query). A new patient never sees it
    open, so it never stands between them and Save."""
    if night_form.is_bound and (night_form.sleep_errors() or night_form.sleep_given()):
        return True
    if record is not None and record.has_sleep_details:
        return True
    return sleep_details_lately(patient=patient, before=night)


def _forms_for(request, night: date, logged: NightRecord | None):
    record = logged or NightRecord(night=night)
    cramps = record.cramps
    if request.GET.get("same") and not cramps:
        previous = last_cramp_night(patient=request.user, before=night)
        if previous is None:
            messages.info(request, _("There is no earlier night with cramps to copy."))
        else:
            cramps = previous.cramps
            messages.info(
                request,
                _("Filled in the cramps of the night of %(date)s. Change anything that differs.")
                % {"date": date_format(previous.night, "l j F")},
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
    previous = night_record(patient=request.user, night=night)
    if previous and previous.cramps and request.POST.get("confirm") != "yes":
        key = _idempotency_key(request) or uuid.uuid4()
        return render(
            request,
            "diary/log_confirm_no_cramps.html",
            {"previous": previous, "idempotency_key": key},
        )
    return _saved(request, previous, replace(previous or NightRecord(night=night), cramps=()))


@patient_required
def log_saved(request, night: date):
    record = night_record(patient=request.user, night=night)
    if record is None:
        return redirect("log_night", night=night)
    return render(
        request,
        "diary/log_saved.html",
        {
            "night": night,
            "record": record,
            "heat_caution": heat_caution_after(patient=request.user, record=record),
            "signs_level": warning_sign_level(record.red_flags),
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
    record = night_record(patient=request.user, night=night)
    if record is None:
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
    return render(request, "diary/log_delete.html", {"night": night, "record": record})
