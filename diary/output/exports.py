"""Summary downloads: the CSV table of nights and cramps, and the diary's JSON a piece at a time
(the PDF: diary.output.pdf)."""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import time

from django.core.serializers.json import DjangoJSONEncoder

from diary.domain.records import SLEEP_FIELDS, NightRecord, TreatmentRecord
from diary.domain.sleep import sleep_figures
from diary.domain.vocabulary import (
    DaytimeImpairment,
    Muscle,
    Prevention,
    RedFlag,
    Relief,
    Remedy,
    Side,
    Symptom,
)

CSV_COLUMNS = [
    "night",
    "sleep_quality",
    "times_woken",
    "daytime_impairment",
    "prevention",
    "symptoms",
    "red_flags",
    "toxin_exposure",
    "toxin_substance",
    "notes",
    *SLEEP_FIELDS,  # as given; then the figures diary.domain.sleep derives from them
    "wake_after_sleep_onset_minutes",
    "time_in_bed_minutes",
    "total_sleep_minutes",
    "sleep_efficiency_percent",
    "cramp",
    "muscle",
    "side",
    "duration_minutes",
    "severity",
    "woke",
    "remedies",
    "relief",
    "treatments",  # the treatments taken that night, by name
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell) -> str:
    """A cell a spreadsheet will show as text and never run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _label(value: str, choices) -> str:
    """A value in the words the pages use ("thigh_back" -> "Back of thigh"); "" stays ""."""
    return str(choices(value).label) if value else ""


def _labels(chosen, choices) -> str:
    """Chosen values in the words the pages use, in vocabulary order, joined with "; "."""
    return "; ".join(str(choice.label) for choice in choices if choice.value in chosen)


def _sleep_cells(night: NightRecord) -> list:
    """The sleep details ("22:30", minutes) and the figures from them; blank when missing."""
    figures = sleep_figures(night)
    cells = [
        *(getattr(night, name) for name in SLEEP_FIELDS),
        figures.wake_after_onset,
        figures.time_in_bed,
        figures.total_sleep,
        None if figures.efficiency is None else f"{figures.efficiency:.1f}",
    ]
    return [value.strftime("%H:%M") if isinstance(value, time) else value for value in cells]


class _Line:
    """What csv.writer writes to: hands each row back as its text, for streaming."""

    def write(self, text: str) -> str:
        return text


def csv_lines(
    nights: Iterable[NightRecord], treatments: Iterable[TreatmentRecord] = ()
) -> Iterator[str]:
    """The CSV's lines, one at a time (nights oldest first): the header, then one row per
    cramp with its night's columns, and one row for each night without cramps. Column names
    are the exchange format's; values are in the words the pages use ("Back of thigh",
    "Flexed my foot up"), lists joined with "; " (the JSON export keeps the codes). The last
    column names the treatments taken that night. No cell can run as a formula."""
    treatments = list(treatments)
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for night in nights:
        night_cells = [
            night.night.isoformat(),
            night.sleep_quality or "",
            night.times_woken,
            _label(night.daytime_impairment, DaytimeImpairment),
            _labels(night.prevention, Prevention),
            _labels(night.symptoms, Symptom),
            _labels(night.red_flags, RedFlag),
            _yes(night.toxin_exposure),
            night.toxin_substance,
            night.notes,
            *_sleep_cells(night),
        ]
        cramps = [
            [
                number,
                _label(cramp.muscle, Muscle),
                _label(cramp.side, Side),
                f"{cramp.duration_minutes:g}",
                cramp.severity,
                _yes(cramp.woke),
                _labels(cramp.remedies, Remedy),
                _label(cramp.relief, Relief),
            ]
            for number, cramp in enumerate(night.cramps, start=1)
        ] or [[""] * 8]
        taken = "; ".join(
            t.name for t in treatments if t.start <= night.night <= (t.stop or night.night)
        )
        for cramp_cells in cramps:
            yield writer.writerow(
                [neutralise(cell) for cell in [*night_cells, *cramp_cells, taken]]
            )


def nights_csv(nights: Iterable[NightRecord], treatments: Iterable[TreatmentRecord] = ()) -> str:
    """The whole CSV at once (csv_lines), nights in any order."""
    return "".join(csv_lines(sorted(nights, key=lambda n: n.night), treatments))


def json_chunks(head: dict, key: str, items: Iterable[dict]) -> Iterator[str]:
    """`head` with `items` as its list `key`, as JSON text a piece at a time: the same text as
    json.dumps(head with the list, indent=1), while holding one item at a time."""
    marker = "\u0000items\u0000"  # escaped in JSON text: no string of the head can match it
    whole = json.dumps({**head, key: [marker]}, cls=DjangoJSONEncoder, indent=1)
    before, after = whole.split(f"\n  {json.dumps(marker)}\n ", 1)
    first = True
    for item in items:
        text = json.dumps(item, cls=DjangoJSONEncoder, indent=1).replace("\n", "\n  ")
        yield (before + "\n  " if first else ",\n  ") + text
        first = False
    yield before + after if first else "\n " + after
