"""Deleting an account leaves nothing of the patient (issue 23): afterwards every table, every
stored session (decoded) and the cache (every key, every value) are read, and none holds the
patient's name, e-mail, a note they wrote or a treatment they took; no row points at them; the
sessions of their other devices have ended. Runs on SQLite with the local-memory cache, and on
PostgreSQL with Redis (DATABASE_URL and REDIS_URL set)."""

import json
from datetime import UTC, date, datetime, timedelta
from importlib import import_module
from smtplib import SMTPRecipientsRefused

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import ClinicianNote, User
from accounts.sharing import access_record, care_link_create
from diary.domain.records import CrampRecord, NightRecord
from diary.models import PendingImport, Treatment
from diary.services.nights import night_save
from diary.tasks import reminders_queue
from tests.conftest import LONG_AGO, PASSWORD

NAME = "Zelda Quillfeather"
EMAIL = "zelda.quill@example.org"
NOTE = "woke near the lighthouse"
TREATMENT = "Quillwort drops"
DOSE = "quillwort 250 mg"
NEEDLES = (NAME, EMAIL, NOTE, TREATMENT, DOSE)

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
REMINDER_TIME = datetime(2026, 11, 28, 7, 35, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 4, 6, True, frozenset({"massage"}), "some")


@pytest.fixture
def zelda(db, clinician, clock, monkeypatch):
    """A patient with everything the diary keeps: nights with notes, a treatment and its dose,
    a care link with the clinician's note, the record of their views, a waiting import, a
    reminder the mail server refused, and the sign-in records naming the e-mail."""
    clock(REMINDER_TIME)
    patient = User.objects.create_user(
        email=EMAIL,
        password=PASSWORD,
        full_name=NAME,
        time_zone="Europe/London",
        date_joined=LONG_AGO,
        email_verified_at=LONG_AGO,
        reminders_on=True,
    )
    for day in range(1, 27):
        notes = NOTE if day == 20 else ""
        cramps = (CALF,) if day % 2 else ()
        night_save(
            patient=patient, record=NightRecord(date(2026, 11, day), notes=notes, cramps=cramps)
        )
    Treatment.objects.create(
        patient=patient, kind="other", name=TREATMENT, dose=DOSE, start=date(2026, 11, 10)
    )
    link = care_link_create(patient=patient, clinician=clinician)
    ClinicianNote.objects.create(link=link, text=f"{NAME} says: {NOTE}")
    access_record(clinician=clinician, patient=patient, what="summary")
    PendingImport.objects.create(patient=patient, payload=json.dumps({"notes": NOTE}))
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="192.0.2.1", user_agent="phone", failures_since_start=2
    )
    AccessLog.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="phone")
    AccessFailureLog.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="phone")
    _a_refused_reminder(monkeypatch)
    return patient


def _a_refused_reminder(monkeypatch):
    """The 7:30 reminder, queued and run by the worker, refused by the mail server with an
    error that names the address."""
    assert reminders_queue(REMINDER_TIME) == 1

    def refused(self, *args, **kwargs):
        raise SMTPRecipientsRefused({EMAIL: (550, f"no mailbox for {NAME}".encode())})

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refused)
        # The worker drops connections it takes for stale: here, the test's own transaction.
        patched.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _phone_and_tablet(patient, clock):
    """The patient signed in on two devices; on the phone, a night saved (with its undo) and
    the pages and downloads that fill the cache."""
    clock(MORNING)
    phone, tablet = Client(), Client()
    for device in (phone, tablet):
        assert (
            device.post("/accounts/login/", {"username": EMAIL, "password": PASSWORD}).status_code
            == 302
        )
    saved = phone.post(
        "/log/2026-11-27/",
        {
            "cramps-TOTAL_FORMS": "0",
            "cramps-INITIAL_FORMS": "0",
            "night-sleep_quality": "3",
            "night-notes": NOTE,
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:500]
    assert phone.get(saved.url).status_code == 200
    for url in (
        "/",
        "/trends/?range=30",
        "/trends/frequency.svg?range=30",
        "/trends/frequency.png?range=30",
        "/summary/?range=30",
    ):
        assert phone.get(url).status_code == 200, url
    return phone, tablet


def _an_admin_changed_the_account_long_ago(patient):
    """A change in the admin log as Django writes it by default: the account's str()."""
    admin = User.objects.create_superuser("root@example.org", "admin-pass-2026", full_name="Ada")
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[patient], action_flag=CHANGE, change_message="[]"
    )
    return admin


# --- reading everything ---------------------------------------------------------------------

_TEXT = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def _as_text(value) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("latin-1")
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


def _found(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]


def _concrete_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _session_models():
    from django.contrib.sessions.base_session import AbstractBaseSession

    return [model for model in _concrete_models() if issubclass(model, AbstractBaseSession)]


def _in_tables() -> list[tuple[str, str, list[str]]]:
    """Every text, JSON and binary column of every row of every table that names the patient."""
    found = []
    for model in _concrete_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, _TEXT)]
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *(f.attname for f in fields)):
            for field, value in zip(fields, row[1:], strict=True):
                if value is not None and (needles := _found(_as_text(value))):
                    found.append((f"{model._meta.label}.{field.name}", str(row[0]), needles))
    return found


def _pointing_at(user_pk: int) -> dict[str, int]:
    """Rows with a key to the user, by model and field."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    counts = {}
    for model in _concrete_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                count = model._default_manager.filter(**{field.attname: user_pk}).count()
                if count:
                    counts[f"{model._meta.label}.{field.name}"] = count
    return counts


def _sessions() -> list[dict]:
    """Every stored session, decoded, whichever session table holds it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    decoded = []
    for model in _session_models():
        for data in model._default_manager.values_list("session_data", flat=True):
            decoded.append(store.decode(data))
    return decoded


def _sessions_of(user_pk: int) -> list[dict]:
    return [s for s in _sessions() if str(s.get("_auth_user_id")) == str(user_pk)]


def _cached() -> dict[str, bytes]:
    """Every key in the cache with its stored bytes: Redis scanned, or local memory's dict."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # LocMemCache: key -> pickled value
        return {key: bytes(value) for key, value in backend.items()}
    client = backend.get_client(None, write=False)
    return {
        key.decode(): client.get(key) or b""
        for key in client.scan_iter(match=f"{cache.key_prefix}*", count=1000)
    }


def _cache_of(user_pk: int) -> list[str]:
    """Keys built from the patient's id (":<id>:"), and keys whose value names the patient."""
    return [
        key
        for key, value in _cached().items()
        if f":{user_pk}:" in key or _found(value.decode("latin-1"))
    ]


# --- the test -------------------------------------------------------------------------------


def _delete_on_the_page(phone, admin_client, patient):
    response = phone.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert "Your account and diary have been deleted." in response.content.decode()


def _delete_in_the_admin(phone, admin_client, patient):
    response = admin_client.post(f"/admin/accounts/user/{patient.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302


def _delete_many_in_the_admin(phone, admin_client, patient):
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [patient.pk], "post": "yes"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "delete", [_delete_on_the_page, _delete_in_the_admin, _delete_many_in_the_admin]
)
def test_after_deletion_nothing_anywhere_holds_the_patient(
    zelda, other_patient, other_client, clinician, clock, delete, django_capture_on_commit_callbacks
):
    pk = zelda.pk
    admin = _an_admin_changed_the_account_long_ago(zelda)
    admin_client = Client()
    admin_client.force_login(admin)
    phone, tablet = _phone_and_tablet(zelda, clock)
    night_save(
        patient=other_patient, record=NightRecord(date(2026, 11, 26), notes="Bob's own night")
    )
    assert other_client.get("/trends/frequency.svg?range=30").status_code == 200
    # Everything below finds what it looks for before the deletion: "nothing after" means it.
    assert {needle for _where, _pk, needles in _in_tables() for needle in needles} == set(NEEDLES)
    assert len(_sessions_of(pk)) == 2
    assert _cache_of(pk) and any(TREATMENT in v.decode("latin-1") for v in _cached().values())
    assert _pointing_at(pk)
    others_cached = [key for key in _cached() if f":{other_patient.pk}:" in key]
    assert others_cached
    tasks = list(zelda.reminders.values_list("task_id", flat=True))
    assert DBTaskResult.objects.filter(id__in=tasks).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the cache goes after the commit
        delete(phone, admin_client, zelda)

    assert not User.objects.filter(pk=pk).exists()
    assert _in_tables() == []
    assert _pointing_at(pk) == {}
    assert _sessions_of(pk) == []
    assert [s for s in _sessions() if any(_found(json.dumps(s, default=str)))] == []
    assert _cache_of(pk) == []
    assert not DBTaskResult.objects.filter(id__in=tasks).exists()  # ids that lead nowhere
    # The other device is signed out; another patient's cache and diary are untouched.
    assert tablet.get("/log/").url.startswith("/accounts/login/")
    assert [key for key in _cached() if f":{other_patient.pk}:" in key] == others_cached
    assert other_client.get("/trends/frequency.svg?range=30").status_code == 200


def test_the_admin_log_names_an_account_by_number_only(zelda, client):
    admin = User.objects.create_superuser("root@example.org", "admin-pass-2026", full_name="Ada")
    client.force_login(admin)
    page = client.post(
        f"/admin/accounts/user/{zelda.pk}/change/",
        {
            "email": EMAIL,
            "full_name": NAME + " Jr",
            "time_zone": "Europe/London",
            "practice": "",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "12:00:00",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    [entry] = LogEntry.objects.filter(object_id=str(zelda.pk))
    assert entry.object_repr == f"Account {zelda.pk}"
    assert not _found(entry.object_repr + entry.change_message)


def test_a_failed_reminder_keeps_ids_and_no_address_in_the_task_queue(zelda):
    [task] = DBTaskResult.objects.all()
    assert task.status == "FAILED"
    assert task.args_kwargs == {"args": [zelda.reminders.get().pk], "kwargs": {}}
    assert not _found(task.traceback + _as_text(task.return_value))
    assert "SMTPRecipientsRefused" in task.traceback


def test_the_patients_sessions_end_when_the_clock_passes_their_expiry(zelda, clock):
    """`clearsessions` (scheduled: docs/deploy.md) removes expired sessions."""
    _phone_and_tablet(zelda, clock)
    assert len(_sessions_of(zelda.pk)) == 2
    clock(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    call_command("clearsessions")
    assert _sessions() == []


def test_the_migration_unnames_accounts_in_the_admin_logs_older_entries(zelda):
    migration = import_module("accounts.migrations.0008_user_sessions")
    admin = _an_admin_changed_the_account_long_ago(zelda)
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[admin], action_flag=CHANGE, change_message="[]"
    )
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {NAME, "Ada"}
    migration.unname_accounts_in_the_admin_log(apps, None)
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {
        f"Account {zelda.pk}",
        f"Account {admin.pk}",
    }


def test_the_admin_log_keeps_entries_that_only_contain_the_name_in_a_longer_word(db):
    from django.contrib.admin.models import CHANGE, LogEntry

    from accounts.leaving import account_erase

    ann = User.objects.create_user(email="ann@example.org", full_name="Ann Lee")
    admin = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    entry = {"user_id": admin.pk, "content_type_id": None, "action_flag": CHANGE}
    LogEntry.objects.create(object_id="x", object_repr="Joann Leeds", **entry)
    LogEntry.objects.create(object_id="y", object_repr="Note by Ann Lee", **entry)
    account_erase(user=ann)
    reprs = sorted(LogEntry.objects.values_list("object_repr", flat=True))
    assert reprs == ["Joann Leeds", "–"]
