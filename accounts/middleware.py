from django.utils import timezone, translation
from django.utils.cache import patch_cache_control


class UserTimeZoneMiddleware:
    """Shows dates and times in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            timezone.activate(request.user.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """Speaks the signed-in user's own language (their profile), whatever the browser asks;
    before sign-in, LocaleMiddleware follows the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language != translation.get_language():
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in user is kept by a browser or a proxy cache: every page and
    download may hold health data (summaries, exports, history, trends, clinicians' pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True, max_age=0)
            response.headers.pop("Expires", None)
        return response
