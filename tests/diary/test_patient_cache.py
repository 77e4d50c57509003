"""A patient's cache entries are listed under the patient, so that deleting the account deletes
them (diary.services.reports.patient_cache_delete), whichever period they were written in."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from diary.services import reports

NOW = 1_800_000_000.0


@pytest.fixture
def cache_clock(monkeypatch):
    clock = SimpleNamespace(now=NOW)
    monkeypatch.setattr(reports, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def _write(patient_id, key):
    reports._patient_cache_set(patient_id, key, f"drawn for {patient_id}")


def test_entries_of_this_period_and_the_last_are_deleted_and_nobody_elses(cache_clock):
    _write(7, "chart:7:a")
    cache_clock.now += reports.CHART_SECONDS  # the next period: "a" is still alive
    _write(7, "chart:7:b")
    _write(8, "chart:8:a")
    reports.patient_cache_delete(patient_id=7)
    assert cache.get_many(["chart:7:a", "chart:7:b"]) == {}
    assert cache.get("chart:8:a") == "drawn for 8"
    period = reports._period(cache_clock.now)
    assert cache.get_many([reports._counter(7, p) for p in (period - 1, period)]) == {}


def test_an_entry_written_twice_is_deleted_once_and_all_is_well(cache_clock):
    _write(7, "chart:7:a")
    _write(7, "chart:7:a")
    reports.patient_cache_delete(patient_id=7)
    assert cache.get("chart:7:a") is None


def test_a_counter_evicted_meanwhile_starts_again(cache_clock):
    _write(7, "chart:7:a")
    cache.delete(reports._counter(7, reports._period(NOW)))
    _write(7, "chart:7:b")
    reports.patient_cache_delete(patient_id=7)
    assert cache.get("chart:7:b") is None
