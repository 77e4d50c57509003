"""Settings for the Night Cramp Diary, read from the environment (see README, "Configuration").

Defaults favour safety: debug is off unless asked for, and there is no secret key outside debug.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_phone_number,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
elif not SECRET_KEY or not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The Night Cramp Diary needs its environment. Either set DJANGO_DEBUG=1 for local work "
        "(or simply run 'make run'), or, for production, set DJANGO_SECRET_KEY and "
        "DJANGO_ALLOWED_HOSTS (comma-separated host names)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_ratelimit",
    "django_tasks_db",
    "accounts",
    "diary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "diary.web.context_processors.prompts",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL names another.
DATABASE_URL = env_str("DATABASE_URL")
try:
    _database = dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0 if DEBUG else 60,
        conn_health_checks=True,
    )
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock up front, so two saves of the same night queue instead of failing.
    _database.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif _database["ENGINE"] == "django.db.backends.postgresql":
    # No parallel workers for the app's statements: each reads a few patients' rows by index,
    # and starting a worker (25 ms on a 2-core server) cost more than the statement whenever
    # the planner misjudged a long diary's nights (docs/performance.md, "Ten times the clinic").
    options = _database.setdefault("OPTIONS", {})
    options["options"] = (
        f"{options.get('options', '')} -c max_parallel_workers_per_gather=0".strip()
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared Redis when REDIS_URL is set (several app servers), else local memory.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit counts in that cache (accounts/limits.py). Its check refuses local memory,
# which counts per process: right for local work, tests and a single process; production with
# more than one process or server sets REDIS_URL. Its warning W001 names every backend but
# memcached and django-redis, even Django's own Redis cache, whose add and incr are atomic.
# After a change to a diary the task worker draws the trends page's charts, for the next look to
# find them drawn (diary.services.reports.charts_ahead_queue): only with a cache the worker and
# the servers share.
CHARTS_DRAWN_AHEAD = bool(REDIS_URL)
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + (
    [] if REDIS_URL else ["django_ratelimit.E003"]
)

# Client addresses (accounts/addresses.py): how many reverse proxies in front of the app append
# the address they saw to X-Forwarded-For. 0: only the socket's address counts; 1 behind one
# proxy such as the TLS proxy in the README. Set it only if clients cannot bypass the proxies.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES must be 0 or more, not {TRUSTED_PROXIES}.")

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# Where a new patient goes after signing up: the first-run page (skippable), then Home.
SIGNUP_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Guessing passwords: 10 failures for one account from one address lock that pair out for 15
# minutes (kept in the database, so every app server agrees). Locking the account alone would
# let anyone lock a patient out of their own diary.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.models.login_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address behind the trusted proxies (DJANGO_TRUSTED_PROXIES), not the proxy's.
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
# Sessions in the database, each naming its account (accounts/sessions.py), so that deleting
# an account ends all its sessions; `manage.py clearsessions` (scheduled, docs/deploy.md) removes
# expired ones.
SESSION_ENGINE = "accounts.sessions"
# Patients stay signed in on their phone for 30 days; clinicians for one working day.
SESSION_COOKIE_AGE = int(timedelta(days=30).total_seconds())
CLINICIAN_SESSION_AGE = int(timedelta(hours=10).total_seconds())
PASSWORD_RESET_TIMEOUT = int(timedelta(days=3).total_seconds())

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST  # MAILERS replaces Django's EMAIL_* settings
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Night Cramp Diary <diary@localhost>")
# Used in links printed outside a request, such as the clinician set-password link.
SITE_URL = env_url("SITE_URL", ("http", "https")) or "http://127.0.0.1:8000"

# Background jobs: Django's task framework, queued in the database every server already shares
# (django-tasks-db); `manage.py db_worker` runs them (README, "Reminders").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Internationalisation: times are stored in UTC and shown in each user's own time zone.
LANGUAGE_CODE = "en"
# Each language in its own name: that is how a reader finds theirs in a list.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Static files: our own and Bootstrap from npm, served by whitenoise.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The number to call in an emergency, shown with every urgent prompt.
EMERGENCY_NUMBER = env_phone_number("EMERGENCY_NUMBER", "112")

# Overrides of the triage rules' thresholds. The defaults, and the keys that may be overridden,
# live with each rule in its registry entry (diary/domain/rules); an unknown key stops start-up
# (the check diary.E001). docs/triage.md gives the clinical reasoning.
TRIAGE_THRESHOLDS: dict = {}

# Security. Our pages load nothing from other sites and run no inline script.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # Charts are inline SVG, whose shapes carry style attributes; <style> elements stay barred.
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    # The installable app (diary/web/views/app.py): its service worker and manifest, same-origin.
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", int(timedelta(days=365).total_seconds()))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
