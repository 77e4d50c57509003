import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import User
from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 4, 6, True, frozenset({"massage"}), "some")


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


@pytest.fixture
def diary(patient):
    # Three cramps on two of four logged nights in the last 30, one night in the 30 before.
    for night, cramps in [
        (date(2026, 11, 27), (CALF, CALF)),
        (date(2026, 11, 26), ()),
        (date(2026, 11, 20), (CALF,)),
        (date(2026, 11, 2), ()),
        (date(2026, 10, 10), (CALF,)),
    ]:
        night_save(patient=patient, record=NightRecord(night, cramps=cramps))


def test_trends_show_the_last_30_nights_by_default_with_exact_headline_numbers(
    patient_client, diary
):
    response = patient_client.get("/trends/")
    report = response.context["report"]
    assert (report.first, report.last) == (date(2026, 10, 29), date(2026, 11, 27))
    assert report.stats.nights_logged == 4 and report.stats.cramps == 3
    assert report.stats.cramps_per_week == 7 * 3 / 4
    assert report.previous.cramps_per_week == 7.0  # one night logged, one cramp
    content = response.content.decode()
    assert "4 of 30 nights logged" in content
    # Four logged nights are too few for a weekly rate to mean something.
    assert "too few nights yet" in content and '<span class="big">5.2' not in content
    assert content.count('<svg aria-hidden="true" class="chart"') == 4
    assert "Show the numbers" in content


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("range=90", date(2026, 10, 10)),  # the diary starts on 10 Oct
        ("range=365", date(2026, 10, 10)),
        ("range=all", date(2026, 10, 10)),
        ("range=custom&start=2026-11-01&end=2026-11-15", date(2026, 11, 1)),
        ("start=2026-11-01&end=2026-11-15", date(2026, 11, 1)),  # typed dates choose "Dates"
        ("range=nonsense", date(2026, 10, 29)),
    ],
)
def test_the_range_selector_resolves_to_dates(patient_client, diary, query, first):
    assert patient_client.get(f"/trends/?{query}").context["report"].first == first


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("range=custom&start=2026-11-15&end=2026-11-01", "start", "before the last"),
        ("range=custom&start=2026-11-01&end=2026-11-28", "end", "last night at the latest"),
        ("range=custom&start=0001-01-01&end=2026-11-01", "start", "from 1900 on"),
        ("range=custom&start=yesterday&end=2026-11-01", "start", "valid date"),
        ("range=custom", "start", "Pick the first night"),
    ],
)
def test_a_bad_custom_range_is_explained_next_to_its_field(
    patient_client, diary, query, field, message
):
    response = patient_client.get(f"/trends/?{query}")
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["report"].first == date(2026, 10, 29)  # the default range instead


def test_what_helps_says_not_enough_nights_yet(patient_client, diary):
    content = patient_client.get("/trends/").content.decode()
    assert "not enough tries yet" in content and "not enough nights yet" in content


def test_a_chart_downloads_as_png_or_svg(patient_client, diary):
    png = patient_client.get("/trends/frequency.png?range=90")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert 'filename="cramps-frequency-2026-10-10-2026-11-27.png"' in png["Content-Disposition"]
    svg = patient_client.get("/trends/muscles.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert patient_client.get("/trends/nonsense.png").status_code == 404
    assert patient_client.get("/trends/frequency.gif").status_code == 404


def test_the_home_page_shows_the_last_eight_weeks(patient_client, diary):
    response = patient_client.get("/")
    report = response.context["report"]
    # Eight ISO weeks, the first of them cut at the diary's first night (Saturday 10 Oct).
    assert report.first == date(2026, 10, 10)
    assert len(report.periods) == 8 and report.periods[1].start == date(2026, 10, 12)
    assert '<svg aria-hidden="true" class="chart"' in response.content.decode()


def test_another_patient_sees_only_their_own_trends(other_client, diary):
    assert other_client.get("/trends/").context["report"].stats.cramps == 0
    assert other_client.get("/trends/frequency.png").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/trends/", "/trends/frequency.png"])
def test_visitors_are_sent_to_log_in(client, path):
    assert client.get(path).url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/trends/", "/trends/frequency.png"])
def test_clinicians_get_404(clinician_client, path):
    assert clinician_client.get(path).status_code == 404


def test_each_preset_is_a_link_that_acts_at_once(patient_client, diary):
    content = patient_client.get("/trends/?range=90").content.decode()
    assert 'href="?range=90" aria-current="page"' in content
    assert 'href="?range=30"' in content and 'href="?range=30" aria-current' not in content


def test_one_patients_trends_never_show_on_anothers_page(patient_client, patient):
    """Both diaries have the same version, range and time zone, so only the patient's id in the
    page's cache key keeps Alice's numbers off Bob's page."""
    bob = User.objects.create_user(
        email="bob.same.zone@example.org", full_name="Bob", time_zone=patient.time_zone
    )
    bob.date_joined = patient.date_joined
    bob.save()
    bob_client = Client()
    bob_client.force_login(bob)
    severe = CrampRecord("calf", "left", 7, 9, True)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(severe,)))
    night_save(patient=bob, record=NightRecord(date(2026, 11, 27)))
    alices = patient_client.get("/trends/").content.decode()
    assert "9/10 worst" in alices
    bobs = bob_client.get("/trends/").content.decode()
    assert "1 of 1 night logged" in bobs
    assert "9/10" not in bobs and "7 min" not in bobs


def test_a_chart_that_fails_to_draw_is_logged_and_said_not_dropped_unseen(
    patient_client, diary, monkeypatch, caplog
):
    """A template swallows a KeyError raised while it looks up {{ charts.frequency }}: without
    the guard the chart would vanish with nothing said and nothing logged."""
    from diary.output import charts

    def broken(*args, **kwargs):
        raise KeyError("a drawing bug")

    monkeypatch.setattr(charts, "frequency", broken)
    with caplog.at_level("ERROR", logger="diary.services.reports"):
        response = patient_client.get("/trends/")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("This chart could not be drawn.") == 1
    assert content.count('<svg aria-hidden="true" class="chart"') == 3
    assert "The frequency chart of patient" in caplog.text and "a drawing bug" in caplog.text


def test_every_numbers_table_scrolls_by_keyboard_and_is_named(patient_client, diary):
    content = patient_client.get("/trends/").content.decode()
    boxes = re.findall(r'<div class="table-responsive"[^>]*>', content)
    assert len(boxes) >= 3
    for box in boxes:
        assert 'tabindex="0"' in box and 'role="region"' in box and 'aria-label="' in box
