"""The patient's diary file: download it, or load one (checked, then confirmed)."""

from django import forms
from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import patient_required
from diary.domain.exchange import MAX_BYTES, ExchangeError, file_text
from diary.services.dates import patient_today
from diary.services.downloads import diary_json
from diary.services.imports import diary_read, import_drop, import_keep, import_waiting
from diary.services.nights import diary_import, import_counts


class ImportForm(forms.Form):
    diary_file = forms.FileField(
        label=gettext_lazy("Diary file (.json)"),
        help_text=gettext_lazy("A file exported from this diary, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )


def _cannot_load(error: ExchangeError) -> str:
    return _("This file cannot be loaded: %(problem)s.") % {"problem": str(error).rstrip(".")}


@patient_required
def export(request):
    """The whole diary, streamed a night at a time (diary.services.downloads.diary_json)."""
    today = patient_today(request.user)
    response = StreamingHttpResponse(
        diary_json(patient=request.user), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="night-cramp-diary-{today.isoformat()}.json"'
    )
    return response


@patient_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Reads the file (decoded once, strictly) and keeps its text until the patient confirms;
    a file that cannot be read is refused beside the field, and nothing is kept."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["diary_file"].read(MAX_BYTES + 1)
        try:
            text = file_text(raw)
            diary = diary_read(patient=request.user, text=text)
            new, replaced = import_counts(patient=request.user, diary=diary)
        except ExchangeError as error:
            form.add_error("diary_file", _cannot_load(error))
        else:
            import_keep(patient=request.user, text=text)
            return render(
                request,
                "diary/import_confirm.html",
                {"new": new, "replaced": replaced, "profile": diary.profile},
            )
    return render(request, "diary/import.html", {"form": form})


@patient_required
@require_POST
def import_confirm(request):
    pending = import_waiting(patient=request.user)
    if pending is None:
        messages.error(request, _("There is no file waiting to be loaded. Please choose it again."))
        return redirect("diary_import")
    try:
        # Read again: the day may have moved on, or treatments been added since.
        diary = diary_read(patient=request.user, text=pending)
        new, replaced = diary_import(patient=request.user, diary=diary)
    except ExchangeError as error:
        import_drop(patient=request.user)
        messages.error(request, _cannot_load(error))
        return redirect("diary_import")
    import_drop(patient=request.user)
    messages.success(
        request,
        _("Loaded: %(new)d new nights, %(replaced)d replaced.")
        % {"new": new, "replaced": replaced},
    )
    return redirect("history")
