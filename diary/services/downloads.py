"""The CSV and JSON downloads, streamed: nights are read from the database a page at a time
and written out as they come, so a long diary is never held whole by a web worker."""

from collections.abc import Iterator
from datetime import date

from diary.domain.exchange import diary_to_dict, night_to_dict
from diary.domain.records import NightRecord
from diary.models import Night, night_records, treatment_records
from diary.output.exports import csv_lines, json_chunks
from diary.services.nights import diary_profile

PAGE = 500  # nights read per query


def nights_paged(*, patient, first: date | None = None, last: date | None = None) -> Iterator:
    """The patient's logged nights from first to last (all when not given), oldest first,
    read PAGE nights at a time (three queries a page: the page's dates, its nights, their
    cramps)."""
    rows = Night.objects.filter(patient=patient)
    if first is not None:
        rows = rows.filter(date__gte=first)
    if last is not None:
        rows = rows.filter(date__lte=last)
    after = None
    while True:
        page = rows if after is None else rows.filter(date__gt=after)
        dates = list(page.order_by("date").values_list("date", flat=True)[:PAGE])
        if not dates:
            return
        for _patient, record in night_records(rows.filter(date__range=(dates[0], dates[-1]))):
            yield record
        after = dates[-1]


def summary_csv(*, patient, first: date, last: date) -> Iterator[bytes]:
    """The summary's CSV of the range (diary.output.exports.csv_lines), a line at a time."""
    taken = [
        t
        for t in treatment_records(patient)
        if t.start <= last and (t.stop is None or t.stop >= first)
    ]
    nights: Iterator[NightRecord] = nights_paged(patient=patient, first=first, last=last)
    return (line.encode() for line in csv_lines(nights, taken))


def diary_json(*, patient) -> Iterator[bytes]:
    """The patient's whole diary in the exchange format, the same text as diary_export's
    JSON written with indent 1, a night at a time."""
    head = diary_to_dict(diary_profile(patient=patient), (), treatment_records(patient))
    nights = (night_to_dict(night) for night in nights_paged(patient=patient))
    return (chunk.encode() for chunk in json_chunks(head, "nights", nights))
