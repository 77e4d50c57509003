from django.conf import settings
from django.utils.functional import SimpleLazyObject

from diary.services.prompts import current_prompts, prompt_box


def prompts(request):
    """The prompt box on every patient page, loaded only when shown."""
    user = getattr(request, "user", None)
    context = {"EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER}
    if user is not None and user.is_authenticated and user.is_patient:
        context["prompt_box"] = SimpleLazyObject(lambda: prompt_box(current_prompts(user)))
    return context
