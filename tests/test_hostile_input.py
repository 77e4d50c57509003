"""Generated hostile input to every form a user can post: never a 500, never a partial write.

Runs on SQLite in `make test` and on PostgreSQL in CI (`.ci/run`), where NUL bytes, huge
numbers and odd text reach a database that refuses what SQLite lets through.
"""

import json
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import ClinicianNote, Role, User
from accounts.sharing import care_link_create
from diary.models import Cramp, HealthProfile, Night, PendingImport

pytestmark = pytest.mark.django_db

# Text a person or a script could send: any character a form can carry (lone surrogates cannot
# be sent as UTF-8 at all; raw bytes are covered below), numbers of any size, dates in any form.
hostile_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.sampled_from(
        ["\x00", "a\x00b", "²", "9" * 5000, "-1", "1e-9", "NaN", "inf", "0001-01-01", "9999-12-31"]
    ),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _ok(response):
    assert response.status_code in (200, 302, 400, 404, 405), response.status_code


def _snapshot():
    return (
        Night.objects.count(),
        Cramp.objects.count(),
        list(HealthProfile.objects.values()),
        list(User.objects.values("email", "full_name", "time_zone")),
        ClinicianNote.objects.count(),
    )


@given(field=st.sampled_from(
    ["muscle", "side", "duration_minutes", "severity", "woke", "remedies", "relief"]
), value=hostile_text, total=hostile_text)  # fmt: skip
@FAST
def test_the_log_form(patient, clock, field, value, total):
    clock(MORNING)
    client = _signed_in(patient)
    data = {
        "cramps-TOTAL_FORMS": "1",
        "cramps-INITIAL_FORMS": "0",
        "cramps-0-muscle": "calf",
        "cramps-0-side": "left",
        "cramps-0-duration_minutes": "2",
        "cramps-0-severity": "5",
        f"cramps-0-{field}": value,
    }
    _ok(client.post("/log/2026-11-27/", {**data, "cramps-TOTAL_FORMS": total}))
    _ok(client.post("/log/2026-11-27/", {**data, "add_cramp": "1"}))
    Night.objects.all().delete()
    before = _snapshot()
    response = client.post("/log/2026-11-27/", data)
    _ok(response)
    if response.status_code != 302:  # refused: nothing written
        assert _snapshot() == before
    Night.objects.all().delete()


@given(field=st.sampled_from(
    ["night-notes", "night-toxin_substance", "night-sleep_quality", "night-daytime_impairment",
     "night-red_flags", "night-symptoms", "night-prevention"]
), value=hostile_text)  # fmt: skip
@FAST
def test_the_night_answers(patient, clock, field, value):
    clock(MORNING)
    client = _signed_in(patient)
    data = {"cramps-TOTAL_FORMS": "0", "cramps-INITIAL_FORMS": "0", field: value}
    before = _snapshot()
    response = client.post("/log/2026-11-27/", data)
    _ok(response)
    if response.status_code != 302:
        assert _snapshot() == before
    Night.objects.all().delete()


@given(field=st.sampled_from(
    ["account-full_name", "account-time_zone", "health-date_of_birth", "health-pregnancy_date",
     "health-medications", "health-pregnant"]
), value=hostile_text)  # fmt: skip
@FAST
def test_the_profile(patient, field, value):
    client = _signed_in(patient)
    data = {
        "account-full_name": "Alice",
        "account-time_zone": "Europe/London",
        "health-date_of_birth": "1950-01-01",
        field: value,
    }
    before = _snapshot()
    response = client.post("/accounts/profile/", data)
    _ok(response)
    if response.status_code != 302:
        assert _snapshot() == before


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)


@given(
    where=st.sampled_from(["version", "profile", "night", "cramp", "nights"]),
    key=st.sampled_from(
        ["night", "severity", "duration_minutes", "notes", "time_zone", "date_of_birth",
         "red_flags", "medications", "pregnancy_date", "cramps", "muscle"]
    ),
    value=json_values,
)  # fmt: skip
@FAST
def test_the_import(patient, clock, where, key, value):
    clock(MORNING)
    client = _signed_in(patient)
    cramp = {"muscle": "calf", "side": "left", "duration_minutes": 2, "severity": 5}
    night = {"night": "2026-11-20", "cramps": [cramp]}
    diary = {"format": "night-cramp-diary", "version": 2, "profile": {}, "nights": [night]}
    if where == "version":
        diary["version"] = value
    elif where == "profile":
        diary["profile"][key] = value
    elif where == "night":
        night[key] = value
    elif where == "cramp":
        cramp[key] = value
    else:
        diary["nights"] = value
    raw = json.dumps(diary, allow_nan=True).encode()
    before = _snapshot()
    upload = SimpleUploadedFile("diary.json", raw, content_type="application/json")
    response = client.post("/diary/import/", {"diary_file": upload})
    _ok(response)
    if PendingImport.objects.exists():
        _ok(client.post("/diary/import/confirm/"))
    else:
        assert _snapshot() == before
    Night.objects.all().delete()
    PendingImport.objects.all().delete()


@given(
    form=st.sampled_from(["link", "notes", "ask", "name"]),
    field=st.sampled_from(["record_number", "last_appointment", "next_appointment", "text"]),
    value=hostile_text,
)
@FAST
def test_the_clinician_forms(patient, form, field, value):
    clinician = User.objects.get_or_create(
        email="dr.hostile@example.org",
        defaults={"full_name": "Dr Hostile", "role": Role.CLINICIAN},
    )[0]
    care_link_create(patient=patient, clinician=clinician)
    client = _signed_in(clinician)
    base = f"/clinic/patients/{patient.public_id}/"
    before = _snapshot()
    if form == "link":
        _ok(client.post(base + "link/", {field: value}))
    elif form == "notes":
        response = client.post(base + "notes/", {"text": value})
        _ok(response)
        if response.status_code != 302:
            assert _snapshot() == before
    elif form == "ask":
        _ok(client.post("/clinic/ask/", {"email": value}))
    else:
        _ok(client.get("/clinic/", {"name": value}))


@pytest.mark.parametrize(
    "body",
    [
        b"night-notes=%ED%A0%80",
        b"night-notes=%FF%FE",
        b"night-notes=a%00b",
        b"cramps-TOTAL_FORMS=%C2%B2",
    ],
)
def test_raw_bytes_that_are_not_utf8_get_a_page(patient, clock, body):
    clock(MORNING)
    client = _signed_in(patient)
    response = client.post(
        "/log/2026-11-27/", body, content_type="application/x-www-form-urlencoded"
    )
    _ok(response)


def test_a_date_in_the_url_out_of_range_is_404(patient):
    client = _signed_in(patient)
    for path in ("/log/0000-01-01/", "/log/1899-12-31/", "/log/2026-02-30/", "/log/99999-01-01/"):
        assert client.get(path).status_code == 404, path
    assert date(1900, 1, 1)  # the earliest night a diary may hold
