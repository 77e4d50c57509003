from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.access import patient_required
from diary.domain import runs
from diary.services.nights import health_profile_record
from diary.services.prompt_history import prompts_ended
from diary.services.prompts import (
    AnswerRefused,
    current_prompts,
    prompt_acknowledge,
    prompt_answer_level,
)

PAST_SHOWN = 100


@patient_required
def prompts(request):
    """Current runs with their reasons and answers, and the runs that have ended."""
    current = current_prompts(request.user)
    past = prompts_ended(request.user, PAST_SHOWN)
    return render(
        request,
        "diary/prompts.html",
        {"current": current, "past": past},
    )


@patient_required
@require_POST
def prompt_acknowledge_view(request, pk: int):
    """ "I have booked a visit", "I have sought care", "It has passed; I did not need care"."""
    try:
        prompt_acknowledge(patient=request.user, run_id=pk, answer=request.POST.get("answer", ""))
    except ValueError:
        return HttpResponseBadRequest("Please answer with one of the buttons shown.")
    return _back(request)


# What the page says after an answer, at the top, in sight.
NOTED = {
    runs.SOUGHT_CARE: _("Noted: you have sought care."),
    runs.DOCTOR_CHECKED: _("Noted: a doctor has already checked this."),
    runs.PASSED: _("Noted: it has passed and you did not need care."),
    runs.BOOKED_VISIT: _("Noted: you have booked a visit."),
    runs.DOCTOR_KNOWS: _("Noted: your doctor already knows about this."),
}


@patient_required
@require_POST
def prompt_answer_view(request):
    """One answer for a level: it covers the runs the page showed (their ids are posted)."""
    answer = request.POST.get("answer", "")
    try:
        run_ids = [int(value) for value in request.POST.getlist("run")]
        prompt_answer_level(
            patient=request.user,
            level=request.POST.get("level", ""),
            run_ids=run_ids,
            answer=answer,
        )
    except (ValueError, AnswerRefused):
        return HttpResponseBadRequest(_("Please answer with one of the buttons shown."))
    messages.success(request, NOTED[answer])
    return _back(request)


def _back(request):
    next_page = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_page, {request.get_host()}, request.is_secure()):
        return redirect(next_page)
    return redirect("prompts")


def advice(request):
    """General advice; for a signed-in patient, fitted to the health profile."""
    user = request.user
    profile = health_profile_record(patient=user) if getattr(user, "is_patient", False) else None
    return render(
        request, "diary/advice.html", {"limits_fluids": bool(profile and profile.limits_fluids)}
    )
