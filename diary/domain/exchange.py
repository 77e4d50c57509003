"""The diary exchange format (JSON, versioned): nights to plain dicts and back.

Reading validates everything and raises ExchangeError with a message naming the night and the
field, so a bad file can be fixed by a person. Nothing here touches the database or the clock.
"""

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, time

from diary.domain.checks import (
    Problem,
    ProfileAnswers,
    night_problems,
    profile_problems,
    treatment_problems,
)
from diary.domain.records import (
    SLEEP_COUNTS,
    SLEEP_FIELDS,
    SLEEP_TIMES,
    CrampRecord,
    NightRecord,
    TreatmentRecord,
)
from diary.domain.vocabulary import (
    MAX_CRAMPS_PER_NIGHT,
    MAX_TREATMENTS,
    SYMPTOMS_SINCE_V3,
    Medication,
    Prevention,
    RedFlag,
    Remedy,
    Symptom,
)

FORMAT = "night-cramp-diary"
VERSION = 3
# Version 1 has none of the warning signs, the sleep details or the new profile answers;
# version 2 has no heart failure and none of the symptoms of rules v3. An older version may
# not use a newer version's keys or symptoms.
READS_VERSIONS = (1, 2, 3)

NIGHT_KEYS_V1 = {
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
NIGHT_KEYS = {*NIGHT_KEYS_V1, "red_flags", *SLEEP_FIELDS}
CRAMP_KEYS = {"muscle", "side", "duration_minutes", "severity", "woke", "remedies", "relief"}
TREATMENT_KEYS = {"name", "kind", "start", "stop", "dose"}  # version 2 only


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
CLOCK_TIME = re.compile(r"\d{2}:\d{2}", re.ASCII)


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


def _sleep_to_dict(night: NightRecord) -> dict:
    """The sleep details the night has, and only those: a diary kept without them reads as
    it always did."""
    details = {name: getattr(night, name) for name in SLEEP_FIELDS}
    return {
        name: value.strftime("%H:%M") if isinstance(value, time) else value
        for name, value in details.items()
        if value is not None
    }


def night_to_dict(night: NightRecord) -> dict:
    return {
        "night": night.night.isoformat(),
        "sleep_quality": night.sleep_quality,
        "times_woken": night.times_woken,
        "daytime_impairment": night.daytime_impairment,
        "prevention": in_order(night.prevention, Prevention),
        "symptoms": in_order(night.symptoms, Symptom),
        "red_flags": in_order(night.red_flags, RedFlag),
        "toxin_exposure": night.toxin_exposure,
        "toxin_substance": night.toxin_substance,
        "notes": night.notes,
        **_sleep_to_dict(night),
        "cramps": [cramp_to_dict(cramp) for cramp in night.cramps],
    }


class _Reader:
    """Reads one object's fields as JSON types, naming the place in every error.

    It only checks types; whether a value is allowed is diary.domain.checks' business, shared with
    the forms.
    """

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

    def text(self, key, *, required=False) -> str:
        if required and not self.has(key):
            self.fail(key, "is missing")
        value = self.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(key, f"must be text, not {_json_type(value)}")
        return value

    def texts(self, key) -> frozenset[str]:
        values = self.data.get(key)
        if values is None:
            return frozenset()
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.fail(key, "must be a list of names")
        return frozenset(values)

    def boolean(self, key) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {_json_type(value)}")
        return value

    def whole_number(self, key, *, required=False) -> int | None:
        if not self.has(key):
            if required:
                self.fail(key, "is missing")
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, not {_json_type(value)}")
        return value

    def number(self, key) -> float:
        value = self.data.get(key)
        if value is None:
            self.fail(key, "is missing")
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"must be a number, not {_json_type(value)}")
        try:
            return float(value)
        except OverflowError:
            self.fail(key, "is far too large")

    def day(self, key) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(key, "must be a date written YYYY-MM-DD")

    def clock_time(self, key) -> time | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            if not (isinstance(value, str) and CLOCK_TIME.fullmatch(value)):
                raise ValueError
            return time.fromisoformat(value)
        except ValueError:
            self.fail(key, "must be a time of day written HH:MM, such as 22:30")


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return (
        "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else "null"
    )


def cramp_from_dict(data, where: str) -> CrampRecord:
    reader = _Reader(data, where, CRAMP_KEYS)
    return CrampRecord(
        muscle=reader.text("muscle", required=True),
        side=reader.text("side", required=True),
        duration_minutes=reader.number("duration_minutes"),
        severity=reader.whole_number("severity", required=True),
        woke=reader.boolean("woke"),
        remedies=reader.texts("remedies"),
        relief=reader.text("relief"),
    )


def _refuse_newer_symptoms(reader: "_Reader", symptoms: frozenset[str], version: int) -> None:
    newer = sorted(symptoms & SYMPTOMS_SINCE_V3) if version < 3 else ()
    if newer:
        reader.fail(
            "symptoms",
            f"{newer[0]!r} is a version 3 symptom; a version {version} file may not use it "
            "(write the file as version 3)",
        )


def _place(problem: Problem) -> str:
    """ "cramps.2.severity" -> "cramp 2, severity"."""
    parts = problem.field.split(".")
    if parts[0] == "cramps" and len(parts) == 3:
        return f"cramp {parts[1]}, {parts[2]}"
    return problem.field


def night_from_dict(data, *, latest: date, where: str = "", version: int = VERSION) -> NightRecord:
    """Reads one night; `latest` is the last night that may be logged (no future nights)."""
    raw_night = data.get("night") if isinstance(data, dict) else None
    # The file's own text names the night only when it is short and plain.
    named = isinstance(raw_night, str) and len(raw_night) <= 10 and raw_night.isprintable()
    label = f"night {raw_night}" if named else "a night"
    reader = _Reader(data, f"{where}{label}", NIGHT_KEYS if version >= 2 else NIGHT_KEYS_V1)
    night = reader.day("night")
    if night is None:
        reader.fail("night", "is missing")
    cramps = reader.data.get("cramps")
    cramps = [] if cramps is None else cramps
    if not isinstance(cramps, list):
        reader.fail("cramps", "must be a list")
    if len(cramps) > MAX_CRAMPS_PER_NIGHT:
        reader.fail("cramps", f"has {len(cramps)} cramps; at most {MAX_CRAMPS_PER_NIGHT} fit")
    _refuse_newer_symptoms(reader, reader.texts("symptoms"), version)
    record = NightRecord(
        night=night,
        sleep_quality=reader.whole_number("sleep_quality"),
        daytime_impairment=reader.text("daytime_impairment"),
        prevention=reader.texts("prevention"),
        symptoms=reader.texts("symptoms"),
        red_flags=reader.texts("red_flags"),
        toxin_exposure=reader.boolean("toxin_exposure"),
        toxin_substance=reader.text("toxin_substance").strip(),
        notes=reader.text("notes").strip(),
        cramps=tuple(
            cramp_from_dict(cramp, f"{reader.where}, cramp {number}")
            for number, cramp in enumerate(cramps, start=1)
        ),
        **{key: reader.clock_time(key) for key in SLEEP_TIMES},
        **{key: reader.whole_number(key) for key in SLEEP_COUNTS},
    )
    problems = night_problems(record, latest=latest)
    if problems:
        reader.fail(_place(problems[0]), problems[0].message)
    return record


MAX_BYTES = 5 * 1024 * 1024
MAX_NIGHTS = 10_000
PROFILE_FLAGS = (
    "venous_disease",
    "peripheral_artery_disease",
    "pregnant",
    "kidney_disease",
    "heart_failure",
)
PROFILE_KEYS_V1 = {
    "venous_disease",
    "peripheral_artery_disease",
    "pregnant",
    "time_zone",
    "date_of_birth",
}
PROFILE_KEYS_V2 = {*PROFILE_KEYS_V1, "kidney_disease", "pregnancy_date", "medications"}
PROFILE_KEYS = {*PROFILE_KEYS_V2, "heart_failure"}
PROFILE_KEYS_BY_VERSION = {1: PROFILE_KEYS_V1, 2: PROFILE_KEYS_V2, 3: PROFILE_KEYS}


@dataclass(frozen=True)
class Diary:
    """A whole diary as read from a file: the profile keys it gave, and its nights."""

    profile: dict = field(default_factory=dict)
    nights: tuple[NightRecord, ...] = ()
    treatments: tuple[TreatmentRecord, ...] = ()


def treatment_to_dict(treatment: TreatmentRecord) -> dict:
    return {
        "name": treatment.name,
        "kind": treatment.kind,
        "start": treatment.start.isoformat(),
        "stop": treatment.stop.isoformat() if treatment.stop else None,
        "dose": treatment.dose,
    }


def treatment_from_dict(data, *, today: date, where: str) -> TreatmentRecord:
    reader = _Reader(data, where, TREATMENT_KEYS)
    record = TreatmentRecord(
        name=reader.text("name", required=True),
        kind=reader.text("kind", required=True),
        start=reader.day("start") or reader.fail("start", "is missing"),
        stop=reader.day("stop"),
        dose=reader.text("dose"),
    )
    for problem in treatment_problems(record, today=today):
        raise ExchangeError(f"{where}, {_place(problem)}: {problem.message}")
    return record


def _treatments_from_list(raw, *, version: int, today: date) -> tuple[TreatmentRecord, ...]:
    if raw is None:
        return ()
    if version < 2:
        raise ExchangeError("treatments: a version 1 file has no treatments; use version 2")
    if not isinstance(raw, list):
        raise ExchangeError("treatments: must be a list")
    if len(raw) > MAX_TREATMENTS:
        raise ExchangeError(f"the file has {len(raw)} treatments; at most {MAX_TREATMENTS} fit")
    treatments = tuple(
        treatment_from_dict(item, today=today, where=f"treatment {position}")
        for position, item in enumerate(raw, start=1)
    )
    seen = set()
    for treatment in treatments:
        key = treatment.identity
        if key in seen:
            raise ExchangeError(
                f"treatment {treatment.name!r} from {treatment.start}: appears twice in the file"
            )
        seen.add(key)
    return treatments


def diary_to_dict(
    profile: dict, nights: Iterable[NightRecord], treatments: Iterable[TreatmentRecord] = ()
) -> dict:
    """The whole diary in the exchange format; `profile` holds the PROFILE_KEYS. The optional
    `treatments` list is written when there are any."""
    treatments = [treatment_to_dict(t) for t in sorted(treatments, key=lambda t: (t.start, t.name))]
    return {
        "format": FORMAT,
        "version": VERSION,
        "profile": {
            key: value.isoformat()
            if isinstance(value, date)
            else in_order(value, Medication)
            if key == "medications"
            else value
            for key, value in sorted(profile.items())
            if key in PROFILE_KEYS
        },
        "nights": [night_to_dict(night) for night in sorted(nights, key=lambda n: n.night)],
        **({"treatments": treatments} if treatments else {}),
    }


def file_text(raw: bytes) -> str:
    """The file's text, decoded once and strictly as UTF-8 (the format's encoding; a leading
    byte order mark is allowed). Bytes that are not UTF-8, surrogates written as raw bytes
    among them, are refused here, before anything is kept or read."""
    if len(raw) > MAX_BYTES:
        raise ExchangeError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeError(
            f"the file is not JSON written in UTF-8 (byte {error.start + 1} cannot be read)"
        ) from None


def file_data(text: str):
    """The JSON value the file's text holds, unchecked."""
    if len(text) > MAX_BYTES:
        raise ExchangeError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(f"the file is not JSON ({error})") from None
    except (ValueError, RecursionError):  # a number of thousands of digits; deep nesting
        raise ExchangeError("the file is not a diary: it holds values no diary has") from None


def file_time_zone(data, time_zones: Collection[str]) -> str | None:
    """The time zone the file's profile gives, if it is one of `time_zones`; else None.
    Importing the file makes it the account's, so the file's nights are judged in it."""
    profile = data.get("profile") if isinstance(data, dict) else None
    zone = profile.get("time_zone") if isinstance(profile, dict) else None
    return zone if isinstance(zone, str) and zone in time_zones else None


def diary_from_json(
    raw: bytes | str, *, latest: date, today: date, time_zones: Collection[str]
) -> Diary:
    """Reads a whole file: everything is checked before anything may be written."""
    text = file_text(raw) if isinstance(raw, bytes) else raw
    return diary_from_data(file_data(text), latest=latest, today=today, time_zones=time_zones)


def diary_from_data(data, *, latest: date, today: date, time_zones: Collection[str]) -> Diary:
    """Checks a file's JSON value as a whole diary; `latest` is the last night it may hold."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f'the file is not a diary: "format" must be "{FORMAT}"')
    version = data.get("version")
    if type(version) is not int or version not in READS_VERSIONS:
        shown = json.dumps(version) if len(json.dumps(version)) < 20 else "too long to show"
        raise ExchangeError(
            f"the file's version is {shown}; this diary reads versions "
            + ", ".join(str(v) for v in READS_VERSIONS[:-1])
            + f" and {READS_VERSIONS[-1]}"
        )
    unknown = sorted(set(data) - {"format", "version", "profile", "nights", "treatments"})
    if unknown:
        raise ExchangeError(f"unknown field {unknown[0]!r}")
    raw_nights = data.get("nights")
    raw_nights = [] if raw_nights is None else raw_nights
    if not isinstance(raw_nights, list):
        raise ExchangeError("nights: must be a list")
    if len(raw_nights) > MAX_NIGHTS:
        raise ExchangeError(f"the file has {len(raw_nights)} nights; at most {MAX_NIGHTS} fit")
    nights = tuple(night_from_dict(night, latest=latest, version=version) for night in raw_nights)
    seen = set()
    for night in nights:
        if night.night in seen:
            raise ExchangeError(f"night {night.night}: appears twice in the file")
        seen.add(night.night)
    profile = _profile_from_dict(data.get("profile"), version, today, time_zones)
    treatments = _treatments_from_list(data.get("treatments"), version=version, today=today)
    return Diary(profile=profile, nights=nights, treatments=treatments)


def _profile_from_dict(data, version: int, today: date, time_zones: Collection[str]) -> dict:
    if data is None:
        return {}
    if isinstance(data, dict):
        newer = sorted(set(data) & PROFILE_KEYS - PROFILE_KEYS_BY_VERSION[version])
        if newer:
            first = min(v for v, keys in PROFILE_KEYS_BY_VERSION.items() if newer[0] in keys)
            raise ExchangeError(
                f"profile, {newer[0]}: a version {version} file may not hold it; it came with "
                f"version {first} (write the file as version {first} or later)"
            )
    reader = _Reader(data, "profile", PROFILE_KEYS_BY_VERSION[version])
    profile = {key: reader.boolean(key) for key in PROFILE_FLAGS if key in data}
    for key in ("date_of_birth", "pregnancy_date"):
        if key in data:
            profile[key] = reader.day(key)
    if "time_zone" in data:
        profile["time_zone"] = reader.text("time_zone", required=True)
    if "medications" in data:
        profile["medications"] = reader.texts("medications")
    answers = ProfileAnswers(
        date_of_birth=profile.get("date_of_birth"),
        pregnancy_date=profile.get("pregnancy_date"),
        pregnant=profile.get("pregnant", False),
        medications=profile.get("medications", frozenset()),
        time_zone=profile.get("time_zone"),
    )
    problems = profile_problems(answers, today=today, time_zones=time_zones)
    if problems:
        reader.fail(problems[0].field, problems[0].message)
    return profile
