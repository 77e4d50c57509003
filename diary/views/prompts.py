from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.access import patient_required
from diary.models import Prompt
from diary.prompts import current_prompts


@patient_required
def prompts(request):
    """Current prompts with their reasons, and the runs that have ended."""
    current = current_prompts(request.user)
    past = Prompt.objects.filter(patient=request.user, ended__isnull=False).order_by("-ended")
    return render(
        request,
        "diary/prompts.html",
        {"current": current, "past": past, "current_prompts": None},
    )


@patient_required
@require_POST
def prompt_acknowledge(request, pk: int):
    """ "I have booked a visit" / "I have sought care": recorded once, with the time."""
    prompt = get_object_or_404(Prompt, pk=pk, patient=request.user, ended__isnull=True)
    if prompt.acknowledged_at is None:
        prompt.acknowledged_at = timezone.now()
        prompt.save(update_fields=["acknowledged_at"])
    next_page = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_page, {request.get_host()}, request.is_secure()):
        return redirect(next_page)
    return redirect("prompts")


def advice(request):
    return render(request, "diary/advice.html")
