"""The diary as FHIR R4 resources, for a clinic's record system (docs/fhir.md).

Plain dicts from plain records: no database, no request, no clock. The caller gives the base of
the canonical URLs (``https://<host>/fhir``), the moment the bundle is generated, the patient's
details, the nights of the range and the current prompts.

Every resource in a bundle has a ``urn:uuid:`` full URL drawn from the patient's public id and
what the resource is (a night, a cramp's position on it, a prompt's rule and first day), so the
same diary gives the same bundle, and a later export names the same night by the same id.
Codes and displays are English: they are clinical data, not page text.
"""

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from django.utils import translation

from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.domain.vocabulary import (
    DaytimeImpairment,
    Muscle,
    Prevention,
    RedFlag,
    Relief,
    Remedy,
    Side,
    Symptom,
    TreatmentKind,
)

QUESTIONNAIRE_ID = "night-cramp-diary"
QUESTIONNAIRE_VERSION = "2"  # the exchange format's version: the same questions
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}
CLINICAL = {
    "system": "http://terminology.hl7.org/CodeSystem/flag-category",
    "code": "clinical",
    "display": "Clinical",
}
XHTML = "http://www.w3.org/1999/xhtml"
# Fixed for ever: changing it would give every exported resource a new id.
NAMESPACE = uuid.UUID("5b8e1c1e-3f0a-5c55-9a59-0f3d6c2a7e41")

# Where a cramp was, in words: (one side, both sides).
BODY_SITES = {
    Muscle.CALF: ("calf", "both calves"),
    Muscle.FOOT: ("foot", "both feet"),
    Muscle.TOES: ("toes", "toes of both feet"),
    Muscle.THIGH_FRONT: ("thigh (front)", "both thighs (front)"),
    Muscle.THIGH_BACK: ("thigh (back)", "both thighs (back)"),
    Muscle.SHIN: ("shin", "both shins"),
    Muscle.OTHER: ("other muscle", "other muscle, both sides"),
}


@dataclass(frozen=True)
class PatientRecord:
    """Who the diary is about: the name and birth date the patient gave."""

    public_id: str
    full_name: str
    birth_date: date | None = None


@dataclass(frozen=True)
class PromptRecord:
    """A current prompt (one run of a triage rule), in the reader's words."""

    rule: str
    level: str  # the level's words, e.g. "Schedule an office visit"
    title: str
    reason: str  # the clinician's wording
    first_raised: date


def questionnaire_url(base: str) -> str:
    return f"{base}/Questionnaire/{QUESTIONNAIRE_ID}"


def _system(base: str, vocabulary: str) -> str:
    # Identifiers for the diary's own codes (the exchange format's values); not served.
    return f"{base}/CodeSystem/{QUESTIONNAIRE_ID}-{vocabulary}"


# The questions, in order: (link id, text, type, vocabulary or None, options).
NIGHT_QUESTIONS = [
    ("night", "Night of (the evening's date)", "date", None, {"required": True}),
    ("sleep_quality", "Sleep quality (1 very poor to 5 very good)", "integer", None, {}),
    ("daytime_impairment", "Trouble functioning during the day", "choice", DaytimeImpairment, {}),
    ("prevention", "Prevention done the evening before", "choice", Prevention, {"repeats": True}),
    ("symptoms", "Symptoms noticed", "choice", Symptom, {"repeats": True}),
    ("red_flags", "Warning signs noticed that morning", "choice", RedFlag, {"repeats": True}),
    ("toxin_exposure", "Exposed to a toxin", "boolean", None, {}),
    ("toxin_substance", "Substance", "string", None, {}),
    ("notes", "Notes", "text", None, {}),
    ("times_woken", "Times woken by cramps", "integer", None, {"readOnly": True}),
    # Sleep details (Consensus Sleep Diary), local times of day and whole minutes.
    ("bed_time", "Time into bed", "time", None, {}),
    ("try_sleep_time", "Time tried to go to sleep", "time", None, {}),
    ("sleep_onset_minutes", "Minutes to fall asleep", "integer", None, {}),
    ("awakenings", "Awakenings, not counting the final one", "integer", None, {}),
    ("awake_minutes", "Minutes awake after falling asleep, in all", "integer", None, {}),
    ("final_wake_time", "Time of the final waking", "time", None, {}),
    ("out_of_bed_time", "Time out of bed", "time", None, {}),
]
CRAMP_QUESTIONS = [
    ("muscle", "Muscle", "choice", Muscle, {"required": True}),
    ("side", "Side", "choice", Side, {"required": True}),
    ("duration_minutes", "Duration (minutes)", "decimal", None, {"required": True}),
    ("severity", "Severity (0 to 10)", "integer", None, {"required": True}),
    ("woke", "Woke me", "boolean", None, {}),
    ("remedies", "Remedies tried", "choice", Remedy, {"repeats": True}),
    ("relief", "Relief", "choice", Relief, {}),
]
CRAMP_GROUP = ("cramp", "Cramp episode")


@functools.cache
def _english(vocabulary, value: str) -> tuple[str, str]:
    """The vocabulary's name in a code system's URL ("red-flag") and the value's English label:
    worked out once a process (a long diary's export has tens of thousands of codings)."""
    with translation.override("en"):
        display = str(vocabulary(value).label)
    return re.sub(r"(?<!^)(?=[A-Z])", "-", vocabulary.__name__).lower(), display


def _coding(base: str, vocabulary, value: str) -> dict:
    name, display = _english(vocabulary, value)
    return {"system": _system(base, name), "code": value, "display": display}


def _question(base: str, link_id: str, text: str, kind: str, vocabulary, options: dict) -> dict:
    item = {"linkId": link_id, "text": text, "type": kind, **options}
    if vocabulary is not None:
        item["answerOption"] = [
            {"valueCoding": _coding(base, vocabulary, choice.value)} for choice in vocabulary
        ]
    return item


def questionnaire(base: str) -> dict:
    """The Questionnaire every night's QuestionnaireResponse answers, at its canonical URL."""
    return {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(base),
        "version": QUESTIONNAIRE_VERSION,
        "name": "NightCrampDiary",
        "title": "Night leg cramp diary",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "One night of a night leg cramp diary, logged the next morning by the patient: "
            "sleep, daytime impact, prevention, symptoms, warning signs, toxin exposure, notes, "
            "and each cramp episode."
        ),
        "item": [
            *(_question(base, *question) for question in NIGHT_QUESTIONS),
            {
                "linkId": CRAMP_GROUP[0],
                "text": CRAMP_GROUP[1],
                "type": "group",
                "repeats": True,
                "item": [_question(base, *question) for question in CRAMP_QUESTIONS],
            },
        ],
    }


def _number(value: float) -> int | float:
    """4.0 as 4: minutes are mostly whole."""
    return int(value) if float(value).is_integer() else value


def _answers(base: str, kind: str, vocabulary, value) -> list[dict]:
    """The answers to one question: none for an empty value (FHIR leaves the item out)."""
    if kind == "choice":  # one value, or a set of them (given in the vocabulary's order)
        chosen = {value} if isinstance(value, str) else set(value)
        return [
            {"valueCoding": _coding(base, vocabulary, choice.value)}
            for choice in vocabulary
            if choice.value in chosen
        ]
    if value is None or value == "":
        return []
    if kind == "date":
        return [{"valueDate": value.isoformat()}]
    if kind == "time":
        return [{"valueTime": value.strftime("%H:%M:%S")}]
    if kind == "boolean":
        return [{"valueBoolean": bool(value)}]
    if kind == "decimal":
        return [{"valueDecimal": _number(value)}]
    if kind == "integer":
        return [{"valueInteger": int(value)}]
    return [{"valueString": value}]  # string and text


def _response_items(base: str, questions, source) -> list[dict]:
    items = []
    for link_id, text, kind, vocabulary, _options in questions:
        answers = _answers(base, kind, vocabulary, getattr(source, link_id))
        if answers:
            items.append({"linkId": link_id, "text": text, "answer": answers})
    return items


def _full_url(public_id: str, *parts) -> str:
    return "urn:uuid:" + str(uuid.uuid5(NAMESPACE, "/".join([public_id, *map(str, parts)])))


def _identifier(full_url: str) -> dict:
    """The entry's own stable id as an identifier, kept by a server that assigns its own ids:
    an import can then skip what it already holds (docs/fhir.md)."""
    return {"system": "urn:ietf:rfc:3986", "value": full_url}


def _patient(patient: PatientRecord, base: str) -> dict:
    resource = {
        "resourceType": "Patient",
        "identifier": [{"system": f"{base}/patient-id", "value": patient.public_id}],
        "name": [{"text": patient.full_name}],
    }
    if patient.birth_date:
        resource["birthDate"] = patient.birth_date.isoformat()
    return resource


def _response(base: str, url: str, night: NightRecord, subject: dict) -> dict:
    items = _response_items(base, NIGHT_QUESTIONS, night)
    for cramp in night.cramps:
        items.append(
            {
                "linkId": CRAMP_GROUP[0],
                "text": CRAMP_GROUP[1],
                "item": _response_items(base, CRAMP_QUESTIONS, cramp),
            }
        )
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": _identifier(url),
        "questionnaire": questionnaire_url(base),
        "status": "completed",
        "subject": subject,
        "author": subject,  # the patient answered and recorded it
        "item": items,
    }


def body_site(cramp: CrampRecord) -> str:
    """Where the cramp was, with the side: "left calf", "both feet"."""
    one_side, both_sides = BODY_SITES[Muscle(cramp.muscle)]
    return both_sides if cramp.side == Side.BOTH else f"{cramp.side} {one_side}"


def _observation(
    url: str, night: NightRecord, cramp: CrampRecord, subject: dict, response: str
) -> dict:
    return {
        "resourceType": "Observation",
        "identifier": [_identifier(url)],
        "status": "final",
        "category": [{"coding": [SURVEY]}],
        "code": {"coding": [PAIN_SEVERITY], "text": "Night leg cramp: pain severity (0-10)"},
        "subject": subject,
        "performer": [subject],
        "effectiveDateTime": night.night.isoformat(),
        "valueInteger": cramp.severity,
        "bodySite": {"text": body_site(cramp)},
        "component": [
            {
                "code": {"text": "Cramp duration"},
                "valueQuantity": {
                    "value": _number(cramp.duration_minutes),
                    "unit": "min",
                    "system": UCUM,
                    "code": "min",
                },
            }
        ],
        "derivedFrom": [{"reference": response}],
    }


def _flag(base: str, url: str, prompt: PromptRecord, subject: dict) -> dict:
    return {
        "resourceType": "Flag",
        "identifier": [_identifier(url)],
        "text": {
            "status": "generated",
            "div": (
                f'<div xmlns="{XHTML}"><p><b>{escape(prompt.title)}</b> '
                f"({escape(prompt.level)})</p><p>{escape(prompt.reason)}</p></div>"
            ),
        },
        "status": "active",
        "category": [{"coding": [CLINICAL]}],
        "code": {
            "coding": [
                {"system": _system(base, "prompt"), "code": prompt.rule, "display": prompt.title}
            ],
            "text": prompt.title,
        },
        "subject": subject,
        "period": {"start": prompt.first_raised.isoformat()},
    }


# The treatment kinds that are medicines: a MedicationStatement each. Stretching is not one, and
# "another medicine or remedy" may be either, so the bundle does not claim it is.
MEDICINES = (TreatmentKind.MAGNESIUM, TreatmentKind.QUININE, TreatmentKind.VITAMIN_B)


def _medication_statement(
    base: str, url: str, treatment: TreatmentRecord, subject: dict, generated: datetime
) -> dict:
    """A medicine taken from its first night to its last (if given), with the dose in words."""
    kind = TreatmentKind(treatment.kind)
    vocabulary, display = _english(TreatmentKind, kind.value)
    period = {"start": treatment.start.isoformat()}
    if treatment.stop:
        period["end"] = treatment.stop.isoformat()
    taken = treatment.stop is None or treatment.stop >= generated.date()
    resource = {
        "resourceType": "MedicationStatement",
        "identifier": [_identifier(url)],
        "status": "active" if taken else "completed",
        "medicationCodeableConcept": {
            "coding": [
                {
                    "system": _system(base, vocabulary),
                    "code": kind.value,
                    "display": display,
                }
            ],
            "text": treatment.name,
        },
        "subject": subject,
        "effectivePeriod": period,
        "informationSource": subject,  # as the diary records it
    }
    if treatment.dose:
        resource["dosage"] = [{"text": treatment.dose}]
    return resource


def diary_bundle(
    *,
    base: str,
    patient: PatientRecord,
    nights: list[NightRecord],
    prompts: list[PromptRecord],
    generated: datetime,
    treatments: list[TreatmentRecord] = (),
) -> dict:
    """A Bundle of type collection: the Patient, one QuestionnaireResponse per logged night,
    one Observation per cramp (derived from its night's response), a Flag per prompt, and a
    MedicationStatement per medicine among `treatments` (MEDICINES).

    `base`: where the canonical URLs start (``https://<host>/fhir``); `nights`: the range's
    logged nights, oldest first; `generated`: an aware datetime, the bundle's timestamp;
    `treatments`: those taken during the range.
    """
    patient_url = _full_url(patient.public_id, "patient")
    subject = {"reference": patient_url, "display": patient.full_name}
    entries = [(patient_url, _patient(patient, base))]
    for night in nights:
        response_url = _full_url(patient.public_id, "night", night.night.isoformat())
        entries.append((response_url, _response(base, response_url, night, subject)))
        for position, cramp in enumerate(night.cramps):
            url = _full_url(patient.public_id, "night", night.night.isoformat(), position)
            entries.append((url, _observation(url, night, cramp, subject, response_url)))
    for prompt in prompts:
        url = _full_url(patient.public_id, "prompt", prompt.rule, prompt.first_raised.isoformat())
        entries.append((url, _flag(base, url, prompt, subject)))
    for treatment in treatments:
        if treatment.kind in MEDICINES:
            name, start = treatment.identity
            url = _full_url(patient.public_id, "treatment", name, start.isoformat())
            entries.append((url, _medication_statement(base, url, treatment, subject, generated)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": generated.isoformat(),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }
