"""Error pages for the whole site, drawn without reading the request.

Django's own error views check the CSRF token first, which reads request.POST: a form body
that could not be read the first time (declared as UTF-16, say) raised again there, and a 400
or a 404 became a 500. These pages are drawn without the request, so no context processor,
token, session or body is looked at.
"""

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _


def _error_page(status: int, title: str, explanation: str) -> HttpResponse:
    page = loader.render_to_string("error.html", {"title": title, "explanation": explanation})
    return HttpResponse(page, status=status)


def bad_request(request, exception):
    return _error_page(
        400,
        _("Bad request"),
        _(
            "What your browser sent could not be read, so nothing was done. "
            "Please go back and try again."
        ),
    )


def permission_denied(request, exception):
    return _error_page(403, _("Not allowed"), _("This page is not open to you."))


def page_not_found(request, exception):
    return _error_page(
        404, _("Page not found"), _("There is no page at this address. It may have moved.")
    )
