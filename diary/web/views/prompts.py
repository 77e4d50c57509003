from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.access import patient_required
from diary.services.nights import health_profile_record
from diary.services.prompt_history import prompts_ended
from diary.services.prompts import current_prompts, prompt_acknowledge

PAST_SHOWN = 100


@patient_required
def prompts(request):
    """Current runs with their reasons and answers, and the runs that have ended."""
    current = current_prompts(request.user)
    past = prompts_ended(request.user, PAST_SHOWN)
    return render(
        request,
        "diary/prompts.html",
        {"current": current, "past": past, "prompt_box": None},
    )


@patient_required
@require_POST
def prompt_acknowledge_view(request, pk: int):
    """ "I have booked a visit", "I have sought care", "It has passed; I did not need care"."""
    try:
        prompt_acknowledge(patient=request.user, run_id=pk, answer=request.POST.get("answer", ""))
    except ValueError:
        return HttpResponseBadRequest("Please answer with one of the buttons shown.")
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
