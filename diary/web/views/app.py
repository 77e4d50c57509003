"""The installable app: its manifest and its service worker, both from the site root.

The worker (static/js/sw.js) is served from /sw.js so that its scope is the whole site; this
view puts in front of it the list of files it keeps (the app shell: our static files, the
empty log page, /log/offline/, and the page that says another page needs a connection,
/offline/), with their hashed names in production.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import patient_required
from diary.services import outbox

THEME_COLOUR = "#0d6efd"  # Bootstrap's primary: the navigation bar
BACKGROUND_COLOUR = "#ffffff"
ICON_SIZES = (192, 512)
# The app shell's static files: what the log page needs to work without a connection.
SHELL_STATIC = (
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "css/diary.css",
    "css/charts.css",
    "js/log.js",
    "js/offline.js",
    "img/favicon.svg",
    *(f"icons/icon-{size}.png" for size in ICON_SIZES),
)


@require_GET
def manifest(request):
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons.append(
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    data = {
        "id": reverse("log"),
        "name": _("Night Cramp Diary"),
        "short_name": _("Cramp Diary"),
        "description": _("Log last night's leg cramps in a tap, even without a signal."),
        "start_url": reverse("log"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request):
    response = HttpResponse(
        _worker_source() if not settings.DEBUG else _worker_source.__wrapped__(),
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers check for a new worker on navigation; it must never come from an HTTP cache.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@never_cache
@patient_required
@require_GET
def offline(request):
    """What the worker shows, without a connection, for any page but the log: an honest "this
    page needs a connection", never the log form under another page's address."""
    response = render(
        request, "diary/offline.html", {"shell": True, "prompt_box": None, "messages": ()}
    )
    response["X-Outbox-Owner"] = outbox.owner_name(request)  # it carries this sign-in's token
    return response


@lru_cache(maxsize=1)
def _worker_source() -> str:
    files = [static(name) for name in SHELL_STATIC]
    source = _read_static("js/sw.js")
    # A new version whenever the worker or a kept file changes, so the old cache is replaced.
    digest = hashlib.sha256(source.encode())
    for name in SHELL_STATIC:
        digest.update(name.encode())
        digest.update(_read_static(name, binary=True))
    config = {
        "version": digest.hexdigest()[:16],
        "shellPage": reverse("log_offline"),
        "offlinePage": reverse("offline"),
        "staticFiles": files,
    }
    return f"const CONFIG = {json.dumps(config)};\n{source}"


def _read_static(name: str, binary: bool = False):
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(f"static file {name} is missing")
    with open(path, "rb") as file:
        data = file.read()
    return data if binary else data.decode()
