"""The patient's diary file: download it, or load one (checked, then confirmed)."""

import json

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import patient_required
from accounts.time_zones import time_zone_names
from diary.dates import last_night, patient_today
from diary.exchange import MAX_BYTES, ExchangeError, diary_from_json
from diary.models import PendingImport
from diary.nights import diary_export, diary_import, import_counts


class ImportForm(forms.Form):
    diary_file = forms.FileField(
        label=gettext_lazy("Diary file (.json)"),
        help_text=gettext_lazy("A file exported from this diary, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )


def _read(request, raw):
    today = patient_today(request.user)
    return diary_from_json(raw, latest=last_night(today), today=today, time_zones=time_zone_names())


def _cannot_load(error: ExchangeError) -> str:
    return _("This file cannot be loaded: %(problem)s.") % {"problem": str(error).rstrip(".")}


@patient_required
def export(request):
    today = patient_today(request.user)
    response = JsonResponse(diary_export(patient=request.user), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = (
        f'attachment; filename="night-cramp-diary-{today.isoformat()}.json"'
    )
    return response


@patient_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["diary_file"].read(MAX_BYTES + 1)
        try:
            diary = _read(request, raw)
            new, replaced = import_counts(patient=request.user, diary=diary)
        except ExchangeError as error:
            form.add_error(
                "diary_file",
                _("This file cannot be loaded: %(problem)s.") % {"problem": str(error).rstrip(".")},
            )
        else:
            PendingImport.objects.update_or_create(
                patient=request.user, defaults={"payload": raw.decode(json.detect_encoding(raw))}
            )
            return render(
                request,
                "diary/import_confirm.html",
                {"new": new, "replaced": replaced, "profile": diary.profile},
            )
    return render(request, "diary/import.html", {"form": form})


@patient_required
@require_POST
def import_confirm(request):
    pending = PendingImport.objects.filter(patient=request.user).first()
    if pending is None:
        messages.error(request, _("There is no file waiting to be loaded. Please choose it again."))
        return redirect("diary_import")
    try:
        diary = _read(request, pending.payload)
    except ExchangeError as error:  # the day moved on and a night is now in the future, say
        pending.delete()
        messages.error(
            request,
            _("This file cannot be loaded: %(problem)s.") % {"problem": str(error).rstrip(".")},
        )
        return redirect("diary_import")
    try:
        new, replaced = diary_import(patient=request.user, diary=diary)
    except ExchangeError as error:  # treatments added since the file was read, say
        pending.delete()
        messages.error(
            request,
            _("This file cannot be loaded: %(problem)s.") % {"problem": str(error).rstrip(".")},
        )
        return redirect("diary_import")
    pending.delete()
    messages.success(
        request,
        _("Loaded: %(new)d new nights, %(replaced)d replaced.")
        % {"new": new, "replaced": replaced},
    )
    return redirect("history")
