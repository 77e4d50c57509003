"""The production settings (config.settings, from the environment) for bench servers, with
three differences only: static files are collected to BENCH_STATIC_ROOT (a temporary folder,
so that a bench never leaves `staticfiles/` in the project, where the test server would serve
it instead of the sources), with hashed names but not compressed (whitenoise's gzip and
Brotli copies of Bootstrap and its source maps take half a minute of two cores; the bench
requests pages, not static files), and the URLs add the bare view (bench/server_urls.py)."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
ROOT_URLCONF = "bench.server_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
