"""Named people every test can use, and settings that make tests fast and plain."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from accounts.models import Role, User

PASSWORD = "a-long-test-passphrase"
_ROOT_BEFORE = pytest.StashKey[set]()

# Property tests judge answers, not speed: a loaded machine must not fail them on a deadline.
hypothesis_settings.register_profile("diary", deadline=None)
hypothesis_settings.load_profile("diary")


def pytest_collection_modifyitems(items):
    """Tests marked `postgresql` (row locks, races, query plans) run only there; `make test`
    runs them on PostgreSQL whenever it answers on 127.0.0.1:5432 (docs/testing.md)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run make test with PostgreSQL answering")
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(skip)


ROOT = Path(__file__).resolve().parent.parent
LEFT_BEHIND_ALLOWED = {".hypothesis", "test-results"}  # ignored by git: examples, browser traces


def pytest_sessionstart(session):
    session.config.stash[_ROOT_BEFORE] = set(os.listdir(ROOT))


def pytest_sessionfinish(session, exitstatus):
    """The suite leaves nothing in the project folder (a stray db.sqlite3, say)."""
    before = session.config.stash.get(_ROOT_BEFORE, None)
    if before is None:
        return
    left = set(os.listdir(ROOT)) - before - LEFT_BEHIND_ALLOWED
    if left:
        print(f"\nThe suite left files in the project folder: {', '.join(sorted(left))}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """On SQLite the test database is a file, not memory. With an in-memory database the live
    server's threads and the test share one connection, and with it one transaction: a browser
    page and its service worker asking at once could roll back each other's writes (a sign-in
    lost mid-journey), and the flush after a browser test failed while a request was still
    reading ("database table is locked"). A file gives every thread its own connection, and
    SQLite's lock waits where memory's fails at once."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.db")
        # Durability is worthless for a database deleted at the end of the run.
        database.setdefault("OPTIONS", {})["init_command"] = (
            "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;"
        )


@pytest.fixture(autouse=True)
def _english_again():
    """A test that switches the language (a Spanish request, say) leaves it on for the next."""
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test server knows no hashed file names and speaks plain HTTP.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    # The same suite with or without REDIS_URL: charts are drawn ahead only where a test asks
    # (tests/diary/test_charts_ahead.py), so no other test finds the task in its queue.
    settings.CHARTS_DRAWN_AHEAD = False


def _person(email, full_name, role=Role.PATIENT, **fields):
    return User.objects.create_user(
        email=email, password=PASSWORD, role=role, full_name=full_name, **fields
    )


# The named patients have kept a diary for a while: ranges start no earlier than the night
# before sign-up (or the first logged night), and most tests look at the last weeks.
LONG_AGO = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def patient(db):
    return _person(
        "alice@example.org", "Alice Walker", time_zone="Europe/London", date_joined=LONG_AGO
    )


@pytest.fixture
def other_patient(db):
    return _person(
        "bob@example.org", "Bob Stranger", time_zone="America/New_York", date_joined=LONG_AGO
    )


@pytest.fixture
def clinician(db):
    return _person("dr.carol@example.org", "Dr Carol Jones", role=Role.CLINICIAN)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def patient_client(patient):
    return _client_for(patient)


@pytest.fixture
def clinician_client(clinician):
    return _client_for(clinician)


@pytest.fixture
def other_client(other_patient):
    return _client_for(other_patient)


@pytest.fixture
def clock(monkeypatch):
    """Sets the current moment for the code under test: clock(datetime(..., tzinfo=UTC))."""
    from django.utils import timezone

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_now


@pytest.fixture
def clinicians(db, patient):
    """A linked, an unlinked and a revoked clinician of the patient, each signed in."""
    from accounts.sharing import care_link_create, care_link_stop

    linked = _person("dr.linked@example.org", "Dr Linda Linked", role=Role.CLINICIAN)
    unlinked = _person("dr.unlinked@example.org", "Dr Una Unlinked", role=Role.CLINICIAN)
    revoked = _person("dr.revoked@example.org", "Dr Rex Revoked", role=Role.CLINICIAN)
    care_link_create(patient=patient, clinician=linked)
    link = care_link_create(patient=patient, clinician=revoked)
    care_link_stop(patient=patient, link_id=link.pk)
    return {
        "linked": _client_for(linked),
        "unlinked": _client_for(unlinked),
        "revoked": _client_for(revoked),
        "users": {"linked": linked, "unlinked": unlinked, "revoked": revoked},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids restart in every test, so a chart cached by
    one test could otherwise be served to another's patient of the same id."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
