"""Sleep details in and out of the diary: the exchange format (version 2 only), the CSV download
with the derived figures, and the web import and export round trip."""

import csv
import io
import json
from datetime import date, time

import pytest

from diary.domain.exchange import ExchangeError, diary_from_json, night_from_dict, night_to_dict
from diary.domain.records import CrampRecord, NightRecord
from diary.output.exports import CSV_COLUMNS, nights_csv
from diary.services.nights import diary_export, diary_import, night_record

LATEST = date(2026, 11, 27)
TODAY = date(2026, 11, 28)
NIGHT = date(2026, 11, 20)
DETAILS = {
    "bed_time": time(22, 30),
    "try_sleep_time": time(23, 0),
    "sleep_onset_minutes": 20,
    "awakenings": 2,
    "awake_minutes": 35,
    "final_wake_time": time(6, 10),
    "out_of_bed_time": time(6, 40),
}
WRITTEN = {
    "bed_time": "22:30",
    "try_sleep_time": "23:00",
    "sleep_onset_minutes": 20,
    "awakenings": 2,
    "awake_minutes": 35,
    "final_wake_time": "06:10",
    "out_of_bed_time": "06:40",
}
SLEPT = NightRecord(NIGHT, sleep_quality=3, **DETAILS)


def _file(nights, version=2) -> str:
    return json.dumps({"format": "night-cramp-diary", "version": version, "nights": nights})


def _read(nights, version=2):
    return diary_from_json(
        _file(nights, version), latest=LATEST, today=TODAY, time_zones={"Europe/London"}
    )


# Writing


def test_export_writes_the_sleep_details_a_night_has():
    written = night_to_dict(SLEPT)
    assert {key: written[key] for key in WRITTEN} == WRITTEN


def test_export_leaves_out_the_sleep_details_a_night_has_not():
    written = night_to_dict(NightRecord(NIGHT, awakenings=0))
    assert written["awakenings"] == 0
    assert not {"bed_time", "awake_minutes", "out_of_bed_time"} & set(written)
    assert not set(WRITTEN) & set(night_to_dict(NightRecord(NIGHT)))


def test_a_night_with_sleep_details_reads_back_as_it_was():
    assert night_from_dict(night_to_dict(SLEPT), latest=LATEST) == SLEPT
    partial = NightRecord(NIGHT, bed_time=time(0, 30), awakenings=0)
    assert night_from_dict(night_to_dict(partial), latest=LATEST) == partial


# Reading


def test_version_2_reads_the_sleep_keys():
    (night,) = _read([{"night": "2026-11-20", **WRITTEN}]).nights
    assert night == NightRecord(NIGHT, **DETAILS)


def test_null_sleep_keys_are_left_out():
    (night,) = _read([{"night": "2026-11-20", "bed_time": None, "awakenings": None}]).nights
    assert not night.has_sleep_details


@pytest.mark.parametrize("key", sorted(WRITTEN))
def test_a_version_1_file_may_not_use_the_sleep_keys(key):
    with pytest.raises(ExchangeError, match=f"night 2026-11-20: unknown field '{key}'"):
        _read([{"night": "2026-11-20", key: WRITTEN[key]}], version=1)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("bed_time", "25:00", "bed_time: must be a time of day written HH:MM, such as 22:30"),
        ("bed_time", "22:30:00", "bed_time: must be a time of day written HH:MM"),
        ("out_of_bed_time", "7:00", "out_of_bed_time: must be a time of day written HH:MM"),
        ("final_wake_time", 610, "final_wake_time: must be a time of day written HH:MM"),
        ("awakenings", 51, "awakenings: Times you woke: from 0 to 50, please."),
        ("awakenings", 1.5, "awakenings: must be a whole number, not a number"),
        ("sleep_onset_minutes", -1, "sleep_onset_minutes: Minutes to fall asleep: from 0 to 720"),
        ("awake_minutes", 721, "awake_minutes: Minutes awake in the night: from 0 to 720"),
        ("awake_minutes", "30", "awake_minutes: must be a whole number, not text"),
    ],
)
def test_a_bad_sleep_value_is_named_by_night_and_field(key, value, message):
    with pytest.raises(ExchangeError) as refused:
        _read([{"night": "2026-11-21"}, {"night": "2026-11-20", key: value}])
    assert str(refused.value).startswith(f"night 2026-11-20, {message}")


# Through the database


def test_import_then_export_keeps_every_sleep_detail(patient):
    diary = _read([{"night": "2026-11-20", **WRITTEN}, {"night": "2026-11-21", "awakenings": 0}])
    diary_import(patient=patient, diary=diary)
    assert night_record(patient=patient, night=NIGHT) == NightRecord(NIGHT, **DETAILS)
    exported = diary_export(patient=patient)
    first, second = exported["nights"]
    assert {key: first[key] for key in WRITTEN} == WRITTEN
    assert second["awakenings"] == 0 and "bed_time" not in second
    again = diary_from_json(
        json.dumps(exported), latest=LATEST, today=TODAY, time_zones={"Europe/London"}
    )
    assert again.nights == diary.nights


# The CSV download


def _rows(*nights) -> list[dict]:
    return list(csv.DictReader(io.StringIO(nights_csv(nights))))


def test_the_csv_has_the_sleep_columns_and_the_figures_from_them():
    assert CSV_COLUMNS[CSV_COLUMNS.index("notes") + 1 : CSV_COLUMNS.index("cramp")] == [
        "bed_time",
        "try_sleep_time",
        "sleep_onset_minutes",
        "awakenings",
        "awake_minutes",
        "final_wake_time",
        "out_of_bed_time",
        "wake_after_sleep_onset_minutes",
        "time_in_bed_minutes",
        "total_sleep_minutes",
        "sleep_efficiency_percent",
    ]
    cramp = CrampRecord("calf", "left", 3, 6, True)
    first, second = _rows(NightRecord(NIGHT, cramps=(cramp, cramp), **DETAILS))
    assert first == second | {"cramp": "1"}
    assert {key: first[key] for key in WRITTEN} == {k: str(v) for k, v in WRITTEN.items()}
    assert first["wake_after_sleep_onset_minutes"] == "35"
    assert first["time_in_bed_minutes"] == "490"
    assert first["total_sleep_minutes"] == "375"
    assert first["sleep_efficiency_percent"] == "76.5"


def test_the_csv_leaves_sleep_cells_blank_when_not_given_or_not_computable():
    (row,) = _rows(NightRecord(NIGHT))
    assert all(row[key] == "" for key in CSV_COLUMNS[CSV_COLUMNS.index("bed_time") :][:11])
    (row,) = _rows(NightRecord(NIGHT, **{**DETAILS, "awake_minutes": None}))
    assert row["time_in_bed_minutes"] == "490" and row["awake_minutes"] == ""
    assert row["total_sleep_minutes"] == "" and row["sleep_efficiency_percent"] == ""
