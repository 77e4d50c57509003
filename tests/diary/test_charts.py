"""Charts: valid SVG with the expected shapes, never pyplot, rendered once per diary version."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from diary import charts, reports, stats
from diary.nights import night_save
from diary.records import CrampRecord, NightRecord

PROJECT = Path(__file__).resolve().parents[2]
MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 3, 6, True, frozenset({"massage"}), "some")


def _diary():
    # Weeks of Mon 2 Nov, 9 Nov (not logged at all), 16 Nov and 23 Nov.
    return [
        NightRecord(date(2026, 11, 2), cramps=(CALF, CALF)),
        NightRecord(date(2026, 11, 3)),
        NightRecord(date(2026, 11, 17), cramps=(CALF,)),
        NightRecord(date(2026, 11, 24)),
    ]


def _svg(chart: bytes) -> ET.Element:
    return ET.fromstring(chart)


def test_the_frequency_svg_parses_and_has_a_bar_for_each_logged_week():
    periods = stats.weekly_periods(_diary(), date(2026, 11, 2), date(2026, 11, 29))
    root = _svg(charts.frequency(periods))
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    bars = sorted(i for i in ids if re.fullmatch(r"frequency-cramps-\d+", i))
    assert bars == ["frequency-cramps-0", "frequency-cramps-2", "frequency-cramps-3"]


def test_the_frequency_svg_keeps_its_text_and_carries_no_style_element():
    periods = stats.weekly_periods(_diary(), date(2026, 11, 2), date(2026, 11, 29))
    svg = charts.frequency(periods).decode()
    assert "Cramps per week" in svg and "3 a week" in svg and "not logged" in svg
    assert "<style" not in svg and not svg.startswith("<?xml")


def test_a_short_range_is_drawn_night_by_night():
    periods = stats.periods(_diary(), date(2026, 11, 1), date(2026, 11, 7))
    svg = charts.frequency(periods).decode()
    assert "Cramps each night" in svg
    ids = re.findall(r'id="(frequency-cramps-\d+)"', svg)
    assert ids == ["frequency-cramps-1", "frequency-cramps-2"]  # 2 and 3 Nov were logged


@pytest.mark.parametrize("name", reports.CHART_NAMES)
@pytest.mark.parametrize("fmt", charts.FORMATS)
def test_every_chart_renders_for_an_empty_diary_too(name, fmt):
    for nights in ([], _diary()):
        report = reports.Report(
            patient_id=1,
            version=1,
            first=date(2026, 11, 1),
            last=date(2026, 11, 29),
            stats=stats.range_stats(nights, date(2026, 11, 1), date(2026, 11, 29)),
            previous=stats.range_stats(nights, date(2026, 10, 3), date(2026, 10, 31)),
            change=stats.Change(None, None, None, None),
            periods=stats.periods(nights, date(2026, 11, 1), date(2026, 11, 29)),
            remedies=stats.remedy_effects(nights, date(2026, 11, 1), date(2026, 11, 29)),
            habits=stats.habit_effects(nights, date(2026, 11, 1), date(2026, 11, 29)),
            nights=nights,
        )
        drawn = reports._draw(report, name, fmt)
        if fmt == "png":
            assert drawn.startswith(b"\x89PNG")
        else:
            _svg(drawn)


def test_two_charts_on_one_page_share_no_ids():
    periods = stats.weekly_periods(_diary(), date(2026, 11, 2), date(2026, 11, 29))
    first = set(re.findall(r'id="([^"]+)"', charts.frequency(periods).decode()))
    second = set(re.findall(r'id="([^"]+)"', charts.severity_duration(periods).decode()))
    assert first and second and not first & second


def test_no_module_of_the_project_imports_pyplot():
    sources = [
        path
        for folder in ("config", "accounts", "diary")
        for path in (PROJECT / folder).rglob("*.py")
    ]
    assert sources
    imports_pyplot = re.compile(
        r"^\s*(import|from)\s+matplotlib[\w.]*(\.pyplot|\s+import\s+.*pyplot)", re.M
    )
    offenders = [str(path) for path in sources if imports_pyplot.search(path.read_text())]
    assert offenders == []


@pytest.fixture
def draws(monkeypatch):
    """Counts the charts actually drawn (not served from the cache)."""
    cache.clear()
    drawn = []
    real = reports._draw

    def counting(report, name, fmt):
        drawn.append(name)
        return real(report, name, fmt)

    monkeypatch.setattr(reports, "_draw", counting)
    return drawn


def test_a_second_request_draws_nothing_and_an_edit_draws_again(
    patient_client, patient, clock, draws
):
    clock(MORNING)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,)))
    patient_client.get("/trends/")
    assert sorted(draws) == sorted(reports.CHART_NAMES)
    patient_client.get("/trends/")
    assert len(draws) == len(reports.CHART_NAMES)

    night_save(patient=patient, record=NightRecord(date(2026, 11, 21), cramps=(CALF,)))
    response = patient_client.get("/trends/")
    assert len(draws) == 2 * len(reports.CHART_NAMES)
    assert response.context["report"].stats.cramps == 2


def test_the_cache_key_holds_the_range_and_the_format(patient_client, patient, clock, draws):
    clock(MORNING)
    patient_client.get("/trends/?range=30")
    patient_client.get("/trends/?range=90")
    patient_client.get("/trends/frequency.png?range=90")
    assert draws.count("frequency") == 3


def test_the_cache_key_holds_the_patient(patient, other_patient, other_client, clock, draws):
    """Two diaries at the same version and range never share a chart."""
    clock(MORNING)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,) * 5))
    night_save(patient=other_patient, record=NightRecord(date(2026, 11, 20)))
    patient_client = Client()
    patient_client.force_login(patient)
    mine = patient_client.get("/trends/frequency.svg?range=30")
    theirs = other_client.get("/trends/frequency.svg?range=30")
    assert draws.count("frequency") == 2
    assert mine.content != theirs.content
