"""What the in-process benches share: a throwaway database and settings close to production.

`throwaway_database()` makes a test database beside the configured one (SQLite in memory, or
`bench_<process id>` on the PostgreSQL server of DATABASE_URL), migrates it, and drops it
afterwards, whatever happens. Inside it, pages are served as in production (debug off, the
manifest-free static storage aside) with a cache key prefix of their own, so that a shared
Redis never serves what another run left there.

It does not call Django's `setup_test_environment()`: that replaces template rendering with
an instrumented version that sends a signal for every template rendered, which the test client
answers by copying the whole context each time. That is test machinery, not the app, and it
made template-heavy pages (the log's 90-odd templates) look 10-15% slower than they are.
"""

import os
import sys
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

# Static files come from the finders here; STATIC_ROOT exists only after collectstatic.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402


@contextmanager
def throwaway_database(**overrides):
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # A name of our own: never the test database a test run beside us is using.
        connection.settings_dict["TEST"]["NAME"] = f"bench_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0)
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    cache = {**settings.CACHES["default"], "KEY_PREFIX": f"bench-{uuid.uuid4()}"}
    try:
        with override_settings(
            SECURE_SSL_REDIRECT=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            STORAGES={**settings.STORAGES, "staticfiles": plain_static},
            CACHES={"default": cache},
            **overrides,
        ):
            yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
