"""What the clinician's dashboard shows and sorts by, kept beside each patient's runs: the most
pressing current run's level and state, an unruled warning sign, the last 14 nights' counts and
the last night logged (DiaryState), written for a batch of patients at once whenever their runs
change (diary.services.prompt_refresh, diary.services.prompts).
"""

from collections import defaultdict
from datetime import timedelta

from django.db import connection
from django.db.models import Max

from diary.domain import runs, triage
from diary.models import NOTHING_PRESSING, DiaryState, Night, Prompt

LEVEL_ORDER = {level: index for index, level in enumerate(triage.LEVELS)}
RECENT_NIGHTS = 14  # the dashboard's "last 14 nights"


def dashboard_states_write(diaries: list, *, rules: triage.Thresholds, evaluated: bool) -> None:
    """Keeps what the clinician's dashboard shows and sorts by beside the runs, for each
    (patient, today, current runs, nights the rules read) of `diaries`: the most pressing
    current run's state and level, the last 14 nights' counts and the last night logged; and,
    when `evaluated`, that the runs are now current for `today`. Two queries, and one more for
    the warning signs when a recent night has one, one more for the last night logged when a
    diary has none in the rules' window. `rules`: the thresholds, for the rules' window."""
    states = dict(
        DiaryState.objects.filter(
            patient_id__in=[patient.pk for patient, *_ in diaries]
        ).values_list("patient_id", "warning_signs_seen")
    )
    recent, last_logged = {}, {}
    for patient, today, _current, records in diaries:
        # Only the rules' own windows back from today (not a quinine verdict's older nights).
        first_read = today - timedelta(days=triage.lookback_nights(rules))
        read = [record for record in records if record.night >= first_read]
        first_recent = today - timedelta(days=RECENT_NIGHTS)
        recent[patient.pk] = [record for record in read if first_recent <= record.night < today]
        last_logged[patient.pk] = max((record.night for record in read), default=None)
    unruled = _unruled_warning_nights(diaries, recent, states)
    _last_logged_further_back(last_logged)
    values = {}
    for patient, today, current, _records in diaries:
        top_level, top_state = dashboard_key(current, bool(unruled[patient.pk]))
        values[patient.pk] = {
            "top_state": top_state,
            "top_level": top_level,
            "unruled_warning_sign": bool(unruled[patient.pk]),
            "recent_nights_logged": len(recent[patient.pk]),
            "recent_cramp_nights": sum(record.is_cramp_night for record in recent[patient.pk]),
            "last_logged": last_logged[patient.pk],
            **({"prompts_evaluated_for": today} if evaluated else {}),
        }
    _states_save(values, existing=states)


def _unruled_warning_nights(diaries: list, recent: dict, states: dict) -> dict[int, list]:
    """By patient id: the nights among the recent ones with a warning sign ticked that are in no
    run's evidence (a current run, or one that ended in the last 14 days) and that no clinician
    has marked seen (one query, none when no recent night has a warning sign)."""
    flagged = {
        patient.pk: [record.night for record in recent[patient.pk] if record.red_flags]
        for patient, *_ in diaries
    }
    unruled = defaultdict(list)
    since = {
        patient.pk: today - timedelta(days=RECENT_NIGHTS)
        for patient, today, *_ in diaries
        if flagged[patient.pk]
    }
    if not since:
        return unruled
    in_evidence = defaultdict(set)
    for patient, _today, current, _records in diaries:
        in_evidence[patient.pk].update(night for run in current for night in run.evidence)
    ended = Prompt.objects.filter(patient_id__in=since, ended__gte=min(since.values()))
    for patient_id, ended_on, evidence in ended.values_list("patient_id", "ended", "evidence"):
        if ended_on >= since[patient_id]:
            in_evidence[patient_id].update(evidence)
    for patient_id in since:
        seen = states.get(patient_id) or []
        unruled[patient_id] = [
            night
            for night in flagged[patient_id]
            if night.isoformat() not in in_evidence[patient_id] and night.isoformat() not in seen
        ]
    return unruled


def _last_logged_further_back(last_logged: dict) -> None:
    """Fills in the last night logged of the diaries with none in the rules' window (one query,
    none when every diary has one)."""
    empty = [patient_id for patient_id, night in last_logged.items() if night is None]
    if empty:
        last = Night.objects.filter(patient_id__in=empty).values("patient_id").annotate(Max("date"))
        last_logged.update((row["patient_id"], row["date__max"]) for row in last)


def _states_save(values: dict, *, existing) -> None:
    """The dashboard's states written: one statement for the patients who have one, one for
    those who have none yet."""
    fields = list(next(iter(values.values())))
    rows = [DiaryState(patient_id=patient_id, **each) for patient_id, each in values.items()]
    rows_update([row for row in rows if row.pk in existing], fields)
    DiaryState.objects.bulk_create([row for row in rows if row.pk not in existing])


def dashboard_key(current: list[Prompt], unruled_warning_sign: bool) -> tuple[int, int]:
    """(level, state) for the dashboard: the level of the most pressing current run not yet
    assessed (an unruled warning sign counts as today), and 0 when a run at that level is
    unanswered (or it is a warning sign), 1 when every one is answered."""
    waiting = [run for run in current if not run.assessed_at]
    levels = [LEVEL_ORDER[run.level] for run in waiting]
    if unruled_warning_sign:
        levels.append(LEVEL_ORDER[runs.TODAY])
    if not levels:
        return NOTHING_PRESSING, NOTHING_PRESSING
    level = min(levels)
    unanswered = any(
        LEVEL_ORDER[run.level] == level and not run.acknowledged_at for run in waiting
    ) or (unruled_warning_sign and level == LEVEL_ORDER[runs.TODAY])
    return level, 0 if unanswered else 1


def rows_update(rows: list, fields) -> None:
    """Writes `fields` of each of `rows` (instances of one model) with one executemany of one
    UPDATE by primary key: bulk_update took half a refresh's CPU building its CASE expressions
    (docs/performance.md), and psycopg sends an executemany's statements in one pipeline."""
    if not rows:
        return
    meta = rows[0]._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} "
        f"SET {', '.join(f'{quote(column.column)} = %s' for column in columns)} "
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    values = [
        (
            *(
                column.get_db_prep_save(getattr(row, column.attname), connection)
                for column in columns
            ),
            row.pk,
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
