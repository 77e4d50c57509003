"""Summary downloads: the CSV table of nights and cramps, and PDF from the print template."""

import csv
import io
from collections.abc import Iterable

from diary.exchange import in_order
from diary.records import NightRecord
from diary.vocabulary import Prevention, RedFlag, Remedy, Symptom

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
    "cramp",
    "muscle",
    "side",
    "duration_minutes",
    "severity",
    "woke",
    "remedies",
    "relief",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell) -> str:
    """A cell a spreadsheet will show as text and never run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def nights_csv(nights: Iterable[NightRecord]) -> str:
    """One row per cramp with its night's columns, and one row for each night without cramps;
    values use the exchange format's vocabulary; lists are joined with ";"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for night in sorted(nights, key=lambda n: n.night):
        night_cells = [
            night.night.isoformat(),
            night.sleep_quality or "",
            night.times_woken,
            night.daytime_impairment,
            ";".join(in_order(night.prevention, Prevention)),
            ";".join(in_order(night.symptoms, Symptom)),
            ";".join(in_order(night.red_flags, RedFlag)),
            _yes(night.toxin_exposure),
            night.toxin_substance,
            night.notes,
        ]
        cramps = [
            [
                number,
                cramp.muscle,
                cramp.side,
                f"{cramp.duration_minutes:g}",
                cramp.severity,
                _yes(cramp.woke),
                ";".join(in_order(cramp.remedies, Remedy)),
                cramp.relief,
            ]
            for number, cramp in enumerate(night.cramps, start=1)
        ] or [[""] * 8]
        for cramp_cells in cramps:
            writer.writerow([neutralise(cell) for cell in night_cells + cramp_cells])
    return out.getvalue()


def pdf_from_html(html: str, base_url: str) -> bytes:
    """Renders the print template to PDF (WeasyPrint, loaded only when a PDF is asked for)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
