from django.conf import settings
from django.utils.functional import SimpleLazyObject

from diary.prompts import current_prompts


def prompts(request):
    """Current prompts for the banner on every patient page, loaded only when shown."""
    user = getattr(request, "user", None)
    context = {"EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER}
    if user is not None and user.is_authenticated and user.is_patient:
        context["current_prompts"] = SimpleLazyObject(lambda: current_prompts(user))
    return context
