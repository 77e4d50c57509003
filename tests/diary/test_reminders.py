"""Morning reminders (issue 15): who is due, claimed once, sent once, and the e-mail's links."""

import email.policy
import re
import threading
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from accounts.models import Role, User
from diary.domain.records import CrampRecord, NightRecord
from diary.domain.reminders import WINDOW, Candidate, Due, due_date, reminders_due
from diary.models import Night, Reminder
from diary.services.nights import night_save
from diary.services.reminder_links import Action, reminder_token
from diary.tasks import reminders_queue, send_reminder

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
HALF_SEVEN = time(7, 30)
# 1 December 2026 is in winter time on both sides of the Atlantic: London = UTC, New York = UTC-5.
MORNING = date(2026, 12, 1)
AT_7_35_LONDON = datetime(2026, 12, 1, 7, 35, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 30)
SITE = "https://diary.example.org"
CALF = CrampRecord("calf", "left", 12, 9, True, frozenset({"massage"}), "none")


def _at(zone, *when):
    return datetime(*when, tzinfo=zone)


# --- who is due: plain logic -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "due"),
    [
        ((2026, 12, 1, 7, 29, 59), None),  # before the reminder time
        ((2026, 12, 1, 7, 30), MORNING),  # at it
        ((2026, 12, 1, 10, 29, 59), MORNING),  # the last moment of the window
        ((2026, 12, 1, 10, 30), None),  # after the window: nothing rather than a late reminder
        ((2026, 12, 2, 3, 0), None),  # the middle of the next night
    ],
)
def test_due_from_the_reminder_time_for_the_window(local, due):
    assert timedelta(hours=3) == WINDOW
    assert due_date(_at(LONDON, *local), LONDON, HALF_SEVEN) == due


def test_two_time_zones_are_due_at_their_own_half_past_seven():
    london_morning = _at(LONDON, 2026, 12, 1, 7, 30)
    assert due_date(london_morning, LONDON, HALF_SEVEN) == MORNING
    assert due_date(london_morning, NEW_YORK, HALF_SEVEN) is None  # 02:30 there
    new_york_morning = london_morning + timedelta(hours=5)
    assert due_date(new_york_morning, NEW_YORK, HALF_SEVEN) == MORNING
    assert due_date(new_york_morning, LONDON, HALF_SEVEN) is None  # 12:30 there
    # Far east, the morning comes while it is still the evening before in UTC.
    auckland = ZoneInfo("Pacific/Auckland")
    assert due_date(datetime(2026, 11, 30, 18, 45, tzinfo=UTC), auckland, HALF_SEVEN) == MORNING


def test_the_clocks_going_forward_keep_the_time_on_the_wall():
    # London, Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
    assert due_date(datetime(2026, 3, 29, 6, 30, tzinfo=UTC), LONDON, HALF_SEVEN) == date(
        2026, 3, 29
    )  # 07:30 BST
    assert due_date(datetime(2026, 3, 29, 6, 29, tzinfo=UTC), LONDON, HALF_SEVEN) is None
    # 01:30 does not exist that night: the reminder comes an hour later on the clock, once.
    skipped = time(1, 30)
    assert due_date(_at(LONDON, 2026, 3, 29, 2, 29), LONDON, skipped) is None
    assert due_date(_at(LONDON, 2026, 3, 29, 2, 30), LONDON, skipped) == date(2026, 3, 29)
    # New York, 8 March 2026.
    assert due_date(datetime(2026, 3, 8, 11, 30, tzinfo=UTC), NEW_YORK, HALF_SEVEN) == date(
        2026, 3, 8
    )  # 07:30 EDT
    assert due_date(datetime(2026, 3, 8, 12, 29, tzinfo=UTC), NEW_YORK, HALF_SEVEN) == date(
        2026, 3, 8
    )


def test_the_clocks_going_back_give_one_window_from_the_first_time():
    # London, Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:30 comes twice.
    twice = time(1, 30)
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    assert due_date(first - timedelta(seconds=1), LONDON, twice) is None
    assert due_date(first, LONDON, twice) == date(2026, 10, 25)
    assert due_date(first + timedelta(hours=1), LONDON, twice) == date(2026, 10, 25)  # 01:30 GMT
    assert due_date(first + WINDOW, LONDON, twice) is None
    # The window is three real hours: 07:30 GMT that day is 07:30 UTC.
    assert due_date(datetime(2026, 10, 25, 10, 29, tzinfo=UTC), LONDON, HALF_SEVEN) is not None


def test_a_late_reminder_time_runs_past_midnight_for_the_date_it_started_on():
    late = time(23, 0)
    assert due_date(_at(LONDON, 2026, 12, 2, 1, 0), LONDON, late) == MORNING
    assert due_date(_at(LONDON, 2026, 12, 2, 2, 0), LONDON, late) is None


def test_a_logged_last_night_or_a_claimed_morning_is_not_due():
    def candidate(**fields):
        return Candidate(1, "Europe/London", HALF_SEVEN, **fields)

    def due(**fields):
        return list(reminders_due([candidate(**fields)], AT_7_35_LONDON))

    assert due() == [Due(1, MORNING)]
    assert due(last_logged=LAST_NIGHT - timedelta(days=1)) == [Due(1, MORNING)]
    assert due(last_logged=LAST_NIGHT) == []
    assert due(last_reminded=MORNING - timedelta(days=1)) == [Due(1, MORNING)]
    assert due(last_reminded=MORNING) == []


# --- queueing: who gets one ------------------------------------------------------------------


@pytest.fixture
def reminded(patient):
    """Alice (Europe/London, confirmed) with reminders on at 07:30."""
    patient.reminders_on = True
    patient.save()
    return patient


def _queue(moment=AT_7_35_LONDON) -> str:
    out = StringIO()
    call_command("send_reminders", "--now", moment.isoformat(), stdout=out)
    return out.getvalue()


def _work():
    """Runs the database queue's worker until the queue is empty, as `db_worker --batch`."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_due_patient_gets_one_claim_and_one_queued_task(reminded):
    assert "queued: 1" in _queue()
    [claim] = Reminder.objects.all()
    assert (claim.patient, claim.date, claim.queued_at) == (reminded, MORNING, AT_7_35_LONDON)
    assert claim.sent_at is None and claim.used_at is None
    [queued] = DBTaskResult.objects.all()
    assert queued.id == claim.task_id
    assert queued.task_path == "diary.tasks.send_reminder"
    assert queued.args_kwargs == {"args": [claim.pk], "kwargs": {}}


@pytest.mark.parametrize(
    "change",
    [
        "logged_last_night",
        "unverified",
        "reminders_off",
        "inactive",
        "before_the_time",
        "after_the_window",
    ],
)
def test_nothing_is_queued_for(reminded, change):
    moment = AT_7_35_LONDON
    if change == "logged_last_night":
        night_save(patient=reminded, record=NightRecord(LAST_NIGHT))
    elif change == "unverified":
        reminded.email_verified_at = None
    elif change == "reminders_off":
        reminded.reminders_on = False
    elif change == "inactive":
        reminded.is_active = False
    elif change == "before_the_time":
        moment = datetime(2026, 12, 1, 7, 29, tzinfo=UTC)
    elif change == "after_the_window":
        moment = datetime(2026, 12, 1, 10, 31, tzinfo=UTC)
    reminded.save()
    assert "queued: 0" in _queue(moment)
    assert not Reminder.objects.exists() and not DBTaskResult.objects.exists()


def test_clinicians_get_no_reminder(clinician):
    User.objects.filter(pk=clinician.pk).update(reminders_on=True, time_zone="Europe/London")
    assert "queued: 0" in _queue()


def test_each_patient_is_due_at_their_own_time(reminded, other_patient):
    other_patient.reminders_on = True
    other_patient.reminder_time = time(6, 0)
    other_patient.save()  # New York, 06:00 = 11:00 UTC
    _queue()
    assert list(Reminder.objects.values_list("patient", flat=True)) == [reminded.pk]
    _queue(datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
    assert Reminder.objects.get(patient=other_patient).date == MORNING


def test_a_moment_without_an_offset_is_utc_and_a_bad_one_is_refused(reminded):
    call_command("send_reminders", "--now", "2026-12-01T07:35", stdout=StringIO())
    assert Reminder.objects.get().queued_at == AT_7_35_LONDON
    with pytest.raises(CommandError, match="--now"):
        call_command("send_reminders", "--now", "tomorrow morning", stdout=StringIO())


def _statements(call) -> tuple[object, list[str]]:
    """What the call returned, and the SQL statements it ran (savepoints left out: outside a
    test they are the transaction's BEGIN and COMMIT)."""
    with CaptureQueriesContext(connection) as queries:
        result = call()
    sql = [q["sql"].split()[0] for q in queries if "SAVEPOINT" not in q["sql"]]
    return result, sql


def test_finding_and_queueing_takes_the_same_queries_for_three_patients_or_thirty(reminded):
    def seed(count, start):
        User.objects.bulk_create(
            User(
                email=f"p{start + n}@example.org",
                full_name="P",
                password=make_password(None),
                time_zone="Europe/London",
                reminders_on=True,
                email_verified_at=AT_7_35_LONDON,
            )
            for n in range(count)
        )

    # Who is due; old claims pruned; then per batch of 500: claims, claims won, tasks.
    expected = ["SELECT", "DELETE", "INSERT", "SELECT", "INSERT"]
    seed(2, 0)
    assert _statements(lambda: reminders_queue(AT_7_35_LONDON)) == (3, expected)
    Reminder.objects.all().delete()
    seed(27, 100)
    assert _statements(lambda: reminders_queue(AT_7_35_LONDON)) == (30, expected)


@pytest.mark.django_db(transaction=True)  # foreign keys are checked when a transaction commits
def test_an_account_deleted_while_reminders_are_queued_leaves_the_others_queued(
    reminded, monkeypatch
):
    from diary import tasks

    gone = Candidate(reminded.pk + 1000, "Europe/London", HALF_SEVEN)
    found = tasks._candidates()
    monkeypatch.setattr(tasks, "_candidates", lambda: [*found, gone])
    assert reminders_queue(AT_7_35_LONDON) == 1
    assert list(Reminder.objects.values_list("patient", flat=True)) == [reminded.pk]
    assert DBTaskResult.objects.count() == 1


def test_claims_older_than_thirty_days_are_pruned(reminded):
    old = Reminder.objects.create(
        patient=reminded, date=MORNING - timedelta(days=31), queued_at=AT_7_35_LONDON
    )
    _queue()
    assert not Reminder.objects.filter(pk=old.pk).exists()
    assert Reminder.objects.filter(date=MORNING).exists()


def test_the_bulk_queued_task_is_what_the_backend_would_have_queued(reminded):
    _queue()
    bulk = DBTaskResult.objects.get()
    one = DBTaskResult.objects.get(id=send_reminder.enqueue(bulk.args_kwargs["args"][0]).id)
    fields = ["args_kwargs", "priority", "task_path", "queue_name", "run_after", "backend_name"]
    fields += ["status", "worker_ids", "return_value", "exception_class_path", "traceback"]
    assert {f: getattr(bulk, f) for f in fields} == {f: getattr(one, f) for f in fields}


def test_with_another_task_backend_each_claim_is_enqueued_once_committed(
    reminded, clock, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    clock(AT_7_35_LONDON)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert reminders_queue(AT_7_35_LONDON) == 1
        assert mailoutbox == []  # nothing runs before the claim is committed
    assert len(callbacks) == 1 and len(mailoutbox) == 1
    assert not DBTaskResult.objects.exists()


# --- sending: once ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_running_twice_gives_one_claim_and_one_e_mail(reminded, clock, mailoutbox):
    clock(AT_7_35_LONDON)
    assert "queued: 1" in _queue()
    assert "queued: 0" in _queue(AT_7_35_LONDON + timedelta(minutes=5))
    _work()
    _queue(AT_7_35_LONDON + timedelta(minutes=10))
    _work()
    assert Reminder.objects.count() == 1 and DBTaskResult.objects.count() == 1
    [mail] = mailoutbox
    assert mail.to == [reminded.email]
    assert Reminder.objects.get().sent_at == AT_7_35_LONDON
    assert DBTaskResult.objects.get().return_value == "sent"


@pytest.mark.django_db(transaction=True)
def test_a_task_run_again_sends_nothing_more(reminded, clock, mailoutbox):
    clock(AT_7_35_LONDON)
    _queue()
    claim = Reminder.objects.get()
    assert send_reminder.call(claim.pk) == "sent"
    assert send_reminder.call(claim.pk) == "not sent: sent already"
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_dying_after_the_commit_sends_no_second_e_mail(
    reminded, clock, mailoutbox, monkeypatch
):
    """At most once: the reminder is marked sent before the mail server sees it."""
    clock(AT_7_35_LONDON)
    _queue()
    claim = Reminder.objects.get()

    def dies(self, *args, **kwargs):
        raise SystemExit("the worker dies mid-send")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", dies)
        with pytest.raises(SystemExit):
            send_reminder.call(claim.pk)
    claim.refresh_from_db()
    assert claim.sent_at is not None
    _queue(AT_7_35_LONDON + timedelta(minutes=5))
    _work()
    assert send_reminder.call(claim.pk) == "not sent: sent already"
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("logged", "last night is logged"),
        ("off", "reminders are off"),
        ("unverified", "address not confirmed"),
        ("late", "too late for this morning"),
    ],
)
def test_the_worker_checks_again_before_sending(reminded, clock, mailoutbox, change, reason):
    clock(AT_7_35_LONDON)
    _queue()
    if change == "logged":
        night_save(patient=reminded, record=NightRecord(LAST_NIGHT))
    elif change == "off":
        User.objects.filter(pk=reminded.pk).update(reminders_on=False)
    elif change == "unverified":
        User.objects.filter(pk=reminded.pk).update(email_verified_at=None)
    else:
        clock(AT_7_35_LONDON + WINDOW)  # the worker was down all morning
    _work()
    assert mailoutbox == []
    assert DBTaskResult.objects.get().return_value == f"not sent: {reason}"
    assert Reminder.objects.get().sent_at is None


@pytest.fixture
def mail(reminded, clock, mailoutbox, settings):
    """The morning's e-mail to Alice, who has a diary full of cramps and an urgent prompt."""
    settings.SITE_URL = SITE
    clock(AT_7_35_LONDON)
    for back in range(2, 10):
        night_save(
            patient=reminded,
            record=NightRecord(
                LAST_NIGHT - timedelta(days=back),
                red_flags=frozenset({"cramp_wont_stop"}),
                cramps=(CALF, CALF),
            ),
        )
    reminders_queue(AT_7_35_LONDON)
    send_reminder.call(Reminder.objects.get().pk)
    [message] = mailoutbox
    return message


def _links(message) -> dict[str, str]:
    paths = re.findall(re.escape(SITE) + r"(/\S+)", message.body)
    by_kind = {}
    for path in paths:
        kind = path.split("/")[1] if path.startswith("/log") else path.split("/")[2]
        by_kind[kind] = path
    return by_kind


def test_the_e_mail_holds_a_greeting_three_links_and_no_health_details(mail):
    assert mail.body.startswith("Good morning Alice,")
    assert "cramp" not in mail.subject.lower()
    assert set(_links(mail)) == {"log", "no-cramps", "stop"}
    assert _links(mail)["log"] == "/log/"
    words = re.sub(r"\S+://\S+", "", mail.body).lower()
    assert not re.search(r"\d", words), "no counts, dates or scores"
    for health_word in ("urgent", "emergency", "doctor", "severe", "calf", "prompt", "visit"):
        assert health_word not in words
    assert words.count("cramp") == 1  # the "No cramps last night?" link, nothing more
    unsubscribe = SITE + _links(mail)["stop"]
    assert mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As the SMTP backend writes it: the URL as it is, never RFC 2047-encoded.
    raw = mail.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"\r\nList-Unsubscribe: <{unsubscribe}>\r\n" in raw


# --- the links -------------------------------------------------------------------------------


def test_opening_the_links_changes_nothing(mail, reminded):
    links = _links(mail)
    anonymous = Client()
    for kind in ("no-cramps", "stop"):
        page = anonymous.get(links[kind])
        assert page.status_code == 200
        assert b'<form method="post">' in page.content
    reminded.refresh_from_db()
    assert reminded.reminders_on
    assert not Night.objects.filter(patient=reminded, date=LAST_NIGHT).exists()
    assert Reminder.objects.get().used_at is None


def test_no_cramps_logs_last_night_once_without_signing_in(mail, reminded):
    path = _links(mail)["no-cramps"]
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert "Monday 30 November" in page.content.decode()
    csrf = page.cookies["csrftoken"].value
    first = anonymous.post(path, {"csrfmiddlewaretoken": csrf})
    assert first.status_code == 200
    assert "is in your diary as a night without cramps" in first.content.decode()
    night = Night.objects.get(patient=reminded, date=LAST_NIGHT)
    assert night.to_record() == NightRecord(LAST_NIGHT)
    assert Reminder.objects.get().used_at is not None

    second = anonymous.post(path, {"csrfmiddlewaretoken": csrf})
    assert second.status_code == 200
    assert "This link has been used" in second.content.decode()
    assert Night.objects.get(patient=reminded, date=LAST_NIGHT).updated_at == night.updated_at


def test_no_cramps_never_overwrites_a_night_logged_since(mail, reminded):
    night_save(patient=reminded, record=NightRecord(LAST_NIGHT, cramps=(CALF,)))
    path = _links(mail)["no-cramps"]
    assert "already logged" in Client().get(path).content.decode()
    page = Client().post(path)
    assert "already logged. Nothing was changed." in page.content.decode()
    assert Night.objects.get(patient=reminded, date=LAST_NIGHT).cramps.count() == 1


def test_unsubscribe_works_without_signing_in_and_by_one_click(mail, reminded):
    path = _links(mail)["stop"]
    # A mail program's one-click unsubscribe (RFC 8058): a bare POST, no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and b"Reminders stopped" in one_click.content
    reminded.refresh_from_db()
    assert not reminded.reminders_on
    again = Client().post(path)
    assert b"already off. Nothing was changed." in again.content
    assert "queued: 0" in _queue(AT_7_35_LONDON + timedelta(days=1))


def test_forged_expired_or_swapped_tokens_get_the_400_page(mail, reminded, monkeypatch):
    claim = Reminder.objects.get()
    forged = signing.dumps({"r": claim.pk, "p": reminded.pk, "a": "no_cramps"}, salt="other")
    swapped = reminder_token(claim, Action.UNSUBSCRIBE)  # the stop token on the no-cramps page
    for path in (
        f"/reminders/no-cramps/{forged}/",
        f"/reminders/no-cramps/{swapped}/",
        f"/reminders/stop/{_links(mail)['stop'].split('/')[3][:-4]}/",  # cut short
        "/reminders/stop/nonsense/",
    ):
        assert Client().post(path).status_code == 400, path
        assert b"This link does not work" in Client().get(path).content
    week_later = signing.time.time() + timedelta(days=7, minutes=1).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: week_later)
    assert Client().post(_links(mail)["no-cramps"]).status_code == 400
    assert Client().post(_links(mail)["stop"]).status_code == 400
    reminded.refresh_from_db()
    assert reminded.reminders_on
    assert not Night.objects.filter(patient=reminded, date=LAST_NIGHT).exists()


def test_a_deleted_account_leaves_links_that_do_nothing(mail, reminded):
    links = _links(mail)
    reminded.delete()
    assert Client().post(links["no-cramps"]).status_code == 400
    assert Client().post(links["stop"]).status_code == 400


# --- the profile -----------------------------------------------------------------------------


def _profile(**overrides):
    return {"account-full_name": "Alice Walker", "account-time_zone": "Europe/London", **overrides}


def test_a_patient_turns_reminders_on_at_their_time(patient_client, patient):
    page = patient_client.get("/accounts/profile/").content.decode()
    assert 'type="time"' in page and 'value="07:30"' in page
    patient_client.post(
        "/accounts/profile/",
        _profile(**{"account-reminders_on": "on", "account-reminder_time": "06:45"}),
    )
    patient.refresh_from_db()
    assert patient.reminders_on and patient.reminder_time == time(6, 45)
    # A form without the time keeps it; without the box, reminders go off.
    patient_client.post("/accounts/profile/", _profile())
    patient.refresh_from_db()
    assert not patient.reminders_on and patient.reminder_time == time(6, 45)


def test_reminders_are_off_until_turned_on_and_an_unconfirmed_address_is_told(client, db):
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Nia New",
            "email": "nia@example.org",
            "time_zone": "Europe/London",
            "password1": "cramps-at-night-2026",
            "password2": "cramps-at-night-2026",
        },
    )
    nia = User.objects.get(email="nia@example.org")
    assert not nia.reminders_on and nia.reminder_time == time(7, 30)
    assert (
        "Reminders go only to a confirmed address"
        in client.get("/accounts/profile/").content.decode()
    )


def test_a_clinicians_profile_has_no_reminder(clinician_client, clinician):
    page = clinician_client.get("/accounts/profile/").content.decode()
    assert "reminder" not in page.lower()
    clinician_client.post(
        "/accounts/profile/",
        {
            "account-full_name": clinician.full_name,
            "account-time_zone": "Europe/Dublin",
            "account-reminders_on": "on",
        },
    )
    clinician.refresh_from_db()
    assert clinician.time_zone == "Europe/Dublin" and not clinician.reminders_on
    assert clinician.role == Role.CLINICIAN


# --- two schedulers, two workers at once (PostgreSQL) ----------------------------------------


def _at_once(*calls):
    """Runs the calls in threads released together; returns the exceptions raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # collected and asserted on
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


needs_postgresql = pytest.mark.postgresql  # row locks and races


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("schedulers", [2, 4])
def test_schedulers_at_once_claim_and_queue_each_patient_once(schedulers):
    zones = ["Europe/London", "Europe/Lisbon", "Africa/Abidjan"]  # all UTC+0 in December
    User.objects.bulk_create(
        User(
            email=f"p{n}@example.org",
            full_name="P",
            password=make_password(None),
            time_zone=zones[n % 3],
            reminders_on=True,
            email_verified_at=AT_7_35_LONDON,
        )
        for n in range(1200)  # three batches each
    )
    counts = []
    errors = _at_once(
        *[lambda: counts.append(reminders_queue(AT_7_35_LONDON)) for _ in range(schedulers)]
    )
    assert errors == []
    assert sum(counts) == 1200
    assert Reminder.objects.count() == 1200
    assert DBTaskResult.objects.count() == 1200
    claimed = set(Reminder.objects.values_list("task_id", flat=True))
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == claimed
    per_patient = [task.args_kwargs["args"][0] for task in DBTaskResult.objects.all()]
    assert len(set(per_patient)) == 1200


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_task_run_by_workers_at_once_sends_one_e_mail(reminded, clock, mailoutbox):
    clock(AT_7_35_LONDON)
    reminders_queue(AT_7_35_LONDON)
    claim = Reminder.objects.get(patient=reminded)
    results = []
    errors = _at_once(*[lambda: results.append(send_reminder.call(claim.pk)) for _ in range(6)])
    assert errors == []
    assert sorted(results) == ["not sent: sent already"] * 5 + ["sent"]
    assert len(mailoutbox) == 1
