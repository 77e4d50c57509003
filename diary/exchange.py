"""The diary exchange format (JSON, versioned): nights to plain dicts and back.

Reading validates everything and raises ExchangeError with a message naming the night and the
field, so a bad file can be fixed by a person. Nothing here touches the database or the clock.
"""

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from diary.records import CrampRecord, NightRecord
from diary.vocabulary import (
    DURATION_MAX_MINUTES,
    NOTES_MAX_LENGTH,
    SEVERITY_MAX,
    SEVERITY_MIN,
    SUBSTANCE_MAX_LENGTH,
    DaytimeImpairment,
    Muscle,
    Prevention,
    Relief,
    Remedy,
    Side,
    Symptom,
)

FORMAT = "night-cramp-diary"
VERSION = 1

NIGHT_KEYS = {
    "night",
    "sleep_quality",
    "times_woken",  # derived from the cramps; accepted and ignored on reading
    "daytime_impairment",
    "prevention",
    "symptoms",
    "toxin_exposure",
    "toxin_substance",
    "notes",
    "cramps",
}
CRAMP_KEYS = {"muscle", "side", "duration_minutes", "severity", "woke", "remedies", "relief"}


class ExchangeError(ValueError):
    """A value that does not fit the format; the message names where it is."""


def in_order(chosen, choices) -> list[str]:
    """The chosen values in vocabulary order."""
    return [choice.value for choice in choices if choice.value in chosen]


def cramp_to_dict(cramp: CrampRecord) -> dict:
    return {
        "muscle": cramp.muscle,
        "side": cramp.side,
        "duration_minutes": cramp.duration_minutes,
        "severity": cramp.severity,
        "woke": cramp.woke,
        "remedies": in_order(cramp.remedies, Remedy),
        "relief": cramp.relief,
    }


def night_to_dict(night: NightRecord) -> dict:
    return {
        "night": night.night.isoformat(),
        "sleep_quality": night.sleep_quality,
        "times_woken": night.times_woken,
        "daytime_impairment": night.daytime_impairment,
        "prevention": in_order(night.prevention, Prevention),
        "symptoms": in_order(night.symptoms, Symptom),
        "toxin_exposure": night.toxin_exposure,
        "toxin_substance": night.toxin_substance,
        "notes": night.notes,
        "cramps": [cramp_to_dict(cramp) for cramp in night.cramps],
    }


class _Reader:
    """Reads one object's fields, naming the place in every error."""

    def __init__(self, data, where: str, known: set[str]):
        if not isinstance(data, dict):
            raise ExchangeError(f"{where}: must be an object, not {type(data).__name__}")
        unknown = sorted(set(data) - known)
        if unknown:
            raise ExchangeError(f"{where}: unknown field {unknown[0]!r}")
        self.data = data
        self.where = where

    def fail(self, key, problem):
        raise ExchangeError(f"{self.where}, {key}: {problem}")

    def has(self, key):
        return self.data.get(key) is not None

    def required(self, key):
        if not self.has(key):
            self.fail(key, "is missing")
        return self.data[key]

    def choice(self, key, choices, *, required=False):
        value = self.required(key) if required else (self.data.get(key) or "")
        if value != "" and value not in choices.values:
            allowed = ", ".join(choices.values)
            self.fail(key, f"{value!r} is not one of {allowed}")
        return value

    def choices(self, key, choices) -> frozenset[str]:
        values = self.data.get(key)
        values = [] if values is None else values
        if not isinstance(values, list):
            self.fail(key, "must be a list")
        for value in values:
            if value not in choices.values:
                self.fail(key, f"{value!r} is not one of {', '.join(choices.values)}")
        return frozenset(values)

    def boolean(self, key) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {value!r}")
        return value

    def text(self, key, max_length) -> str:
        value = self.data.get(key) or ""
        if not isinstance(value, str):
            self.fail(key, "must be text")
        if len(value) > max_length:
            self.fail(key, f"is {len(value)} characters long; at most {max_length} are allowed")
        return value.strip()

    def whole_number(self, key, low, high, *, required=False) -> int | None:
        if not self.has(key):
            if required:
                self.fail(key, "is missing")
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, f"must be a whole number from {low} to {high}, not {value!r}")
        return value


def cramp_from_dict(data, where: str) -> CrampRecord:
    reader = _Reader(data, where, CRAMP_KEYS)
    muscle = reader.choice("muscle", Muscle, required=True)
    side = reader.choice("side", Side, required=True)
    duration = reader.required("duration_minutes")
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int | float)
        or not 0 < duration <= DURATION_MAX_MINUTES
    ):
        reader.fail(
            "duration_minutes",
            f"must be a number of minutes above 0 and at most {DURATION_MAX_MINUTES}, "
            f"not {duration!r}",
        )
    return CrampRecord(
        muscle=muscle,
        side=side,
        duration_minutes=float(duration),
        severity=reader.whole_number("severity", SEVERITY_MIN, SEVERITY_MAX, required=True),
        woke=reader.boolean("woke"),
        remedies=reader.choices("remedies", Remedy),
        relief=reader.choice("relief", Relief),
    )


def night_from_dict(data, *, latest: date, where: str = "") -> NightRecord:
    """Reads one night; `latest` is the last night that may be logged (no future nights)."""
    raw_night = data.get("night") if isinstance(data, dict) else None
    label = f"night {raw_night}" if isinstance(raw_night, str) else "a night"
    reader = _Reader(data, f"{where}{label}", NIGHT_KEYS)
    raw_night = reader.required("night")
    try:
        night = date.fromisoformat(raw_night)
    except (TypeError, ValueError):
        reader.fail("night", "must be a date written YYYY-MM-DD")
    if night > latest:
        reader.fail("night", f"is in the future: the latest night that can be logged is {latest}")
    if night.year < 1900:
        reader.fail("night", "is before 1900")
    toxin_exposure = reader.boolean("toxin_exposure")
    toxin_substance = reader.text("toxin_substance", SUBSTANCE_MAX_LENGTH)
    if toxin_substance and not toxin_exposure:
        reader.fail("toxin_substance", "is given but toxin_exposure is not true")
    cramps = reader.data.get("cramps")
    cramps = [] if cramps is None else cramps
    if not isinstance(cramps, list):
        reader.fail("cramps", "must be a list")
    return NightRecord(
        night=night,
        sleep_quality=reader.whole_number("sleep_quality", 1, 5),
        daytime_impairment=reader.choice("daytime_impairment", DaytimeImpairment),
        prevention=reader.choices("prevention", Prevention),
        symptoms=reader.choices("symptoms", Symptom),
        toxin_exposure=toxin_exposure,
        toxin_substance=toxin_substance,
        notes=reader.text("notes", NOTES_MAX_LENGTH),
        cramps=tuple(
            cramp_from_dict(cramp, f"{reader.where}, cramp {number}")
            for number, cramp in enumerate(cramps, start=1)
        ),
    )


MAX_BYTES = 5 * 1024 * 1024
MAX_NIGHTS = 10_000
PROFILE_FLAGS = ("venous_disease", "peripheral_artery_disease", "pregnant")
PROFILE_KEYS = {*PROFILE_FLAGS, "time_zone", "date_of_birth"}


@dataclass(frozen=True)
class Diary:
    """A whole diary as read from a file: the profile keys it gave, and its nights."""

    profile: dict = field(default_factory=dict)
    nights: tuple[NightRecord, ...] = ()


def diary_to_dict(profile: dict, nights: Iterable[NightRecord]) -> dict:
    """The whole diary in the exchange format; `profile` holds the PROFILE_KEYS."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "profile": {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in sorted(profile.items())
            if key in PROFILE_KEYS
        },
        "nights": [night_to_dict(night) for night in sorted(nights, key=lambda n: n.night)],
    }


def diary_from_json(raw: bytes | str, *, latest: date, time_zones: Collection[str]) -> Diary:
    """Reads a whole file: everything is checked before anything may be written."""
    if len(raw) > MAX_BYTES:
        raise ExchangeError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExchangeError(f"the file is not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f'the file is not a diary: "format" must be "{FORMAT}"')
    if data.get("version") != VERSION:
        raise ExchangeError(
            f"the file's version is {data.get('version')!r}; this diary reads version {VERSION}"
        )
    unknown = sorted(set(data) - {"format", "version", "profile", "nights"})
    if unknown:
        raise ExchangeError(f"unknown field {unknown[0]!r}")
    raw_nights = data.get("nights")
    raw_nights = [] if raw_nights is None else raw_nights
    if not isinstance(raw_nights, list):
        raise ExchangeError("nights: must be a list")
    if len(raw_nights) > MAX_NIGHTS:
        raise ExchangeError(f"the file has {len(raw_nights)} nights; at most {MAX_NIGHTS} fit")
    nights = tuple(night_from_dict(night, latest=latest) for night in raw_nights)
    seen = set()
    for night in nights:
        if night.night in seen:
            raise ExchangeError(f"night {night.night}: appears twice in the file")
        seen.add(night.night)
    return Diary(profile=_profile_from_dict(data.get("profile"), time_zones), nights=nights)


def _profile_from_dict(data, time_zones: Collection[str]) -> dict:
    if data is None:
        return {}
    reader = _Reader(data, "profile", PROFILE_KEYS)
    profile = {key: reader.boolean(key) for key in PROFILE_FLAGS if key in data}
    if "time_zone" in data:
        if data["time_zone"] not in time_zones:
            reader.fail("time_zone", f"{data['time_zone']!r} is not a known time zone")
        profile["time_zone"] = data["time_zone"]
    if "date_of_birth" in data:
        born = data["date_of_birth"]
        try:
            profile["date_of_birth"] = None if born is None else date.fromisoformat(born)
        except (TypeError, ValueError):
            reader.fail("date_of_birth", "must be a date written YYYY-MM-DD, or null")
    return profile
