"""The quinine rules, each with its words: quinine in pregnancy ("Contact a doctor today") and
the review of a quinine course ("Schedule an office visit"). They read the treatments and the
date of the last review, not a window of nights."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.domain import verdicts
from diary.domain.records import TreatmentRecord
from diary.domain.rules.base import (
    TODAY,
    VISIT,
    Action,
    Diary,
    Finding,
    HealthFacts,
    Rule,
    Words,
    dates,
    iso,
)
from diary.domain.rules.urgent import CKS
from diary.domain.rules.words import day, per_week


def current_on(treatment: TreatmentRecord, day_: date) -> bool:
    return treatment.start <= day_ and (treatment.stop is None or day_ <= treatment.stop)


def _quinine_pregnancy(diary: Diary, facts: HealthFacts):
    today = diary.today
    if not facts.pregnant or (facts.pregnancy_date is not None and today > facts.pregnancy_date):
        return None
    taken = [t for t in facts.treatments if t.kind == "quinine" and current_on(t, today)]
    if not taken:
        return None
    course = max(taken, key=lambda t: t.start)
    return Finding(
        TODAY, "quinine_pregnancy", (), {"name": course.name, "started": iso(course.start)}
    )


QUININE_PREGNANCY = Rule(
    id="quinine_pregnancy",
    level=TODAY,
    window="",
    reads=frozenset({"pregnant", "pregnancy_date", "treatments"}),
    test=_quinine_pregnancy,
    sources=(
        "UKTIS: quinine in pregnancy",
        "MHRA Drug Safety Update 2010: quinine not for routine use in leg cramps",
    ),
    words=Words(
        title=gettext_lazy("Quinine in pregnancy"),
        patient=lambda f: (
            _(
                "Your diary shows %(name)s, taken since %(started)s, and your profile records "
                "pregnancy. Quinine is not for cramps in pregnancy: talk to your midwife or doctor "
                "today about stopping it safely."
            )
            % {"name": f["name"], "started": day(f["started"])}
        ),
        clinician=lambda f: (
            _(
                "Pregnant and taking quinine (%(name)s) since %(started)s: not recommended for "
                "cramps in pregnancy."
            )
            % {"name": f["name"], "started": day(f["started"])}
        ),
        past=lambda f: _("Your diary showed %(name)s during pregnancy.") % {"name": f["name"]},
        action=Action(
            present=gettext_lazy(
                "Call your midwife or maternity unit today, or your doctor's practice, and say "
                "that you take quinine."
            ),
            past=gettext_lazy(
                "call your midwife or maternity unit, or your doctor's practice, about the quinine"
            ),
        ),
    ),
)


def quinine_due(treatment, today, t) -> bool:
    """Quinine taken today whose first weeks (28 nights) are over: a review is due unless one
    was made lately (the rule also reads the last review date)."""
    return (
        treatment.kind == "quinine"
        and current_on(treatment, today)
        and treatment.start <= today - timedelta(days=t.quinine_review_after)
    )


def reviewed_lately(facts: HealthFacts, today, t) -> bool:
    """A review in the last `quinine_reviewed_within` days; one made today counts too, so that
    the run it ended does not start again the same day."""
    last = facts.quinine_reviewed
    return last is not None and last >= today - timedelta(days=t.quinine_reviewed_within)


def _quinine_review(diary: Diary, facts: HealthFacts):
    """Quinine still taken after its first 4 weeks and not reviewed in the last 84 days, whatever
    the verdict (MHRA: review at 4 weeks, then interrupt about every 3 months)."""
    due = [t for t in facts.treatments if quinine_due(t, diary.today, diary.t)]
    if not due or reviewed_lately(facts, diary.today, diary.t):
        return None
    last_night = diary.today - timedelta(days=1)
    treatment = max(due, key=lambda t: t.start)  # the course now taken
    result = verdicts.treatment_result(treatment, diary.by_date.values(), last_night)
    later = result.later_weeks.after.nights >= verdicts.WINDOW_NIGHTS  # weeks 5-8 are over
    latest = result.later_weeks if later else result.first_weeks
    evidence = [
        night
        for night in diary.by_date.values()
        if any(w.first <= night.night <= w.last for w in (latest.before, latest.after))
    ]
    return Finding(
        VISIT,
        "quinine_review",
        dates(evidence),
        {
            "name": treatment.name,
            "started": iso(treatment.start),
            "weeks": "5-8" if later else "1-4",
            "verdict": latest.verdict,
            "before": latest.before.per_week,
            "after": latest.after.per_week,
            "change": latest.change_percent,
            "low": latest.low_percent,
            "high": latest.high_percent,
            "logged_before": latest.before.logged,
            "logged": latest.after.logged,
            "review_after": diary.t.quinine_review_after,
            "reviewed": iso(facts.quinine_reviewed) if facts.quinine_reviewed else None,
        },
    )


COMPARED = (verdicts.FEWER_CRAMPS, verdicts.NO_CLEAR_CHANGE, verdicts.MORE_CRAMPS)


def _compared(f: dict) -> dict:
    return {
        "after": per_week(f["after"]),
        "before": per_week(f["before"]),
        "verdict": str(verdicts.VERDICT_LABELS[f["verdict"]]).lower(),
        "change": verdicts.percent_change_in_words(f["change"], f["low"], f["high"]),
    }


def _quinine_outcome(f: dict) -> str:
    """What the latest weeks of a quinine course showed, ending with a full stop. Runs stored
    under rules version 2 hold its verdicts ("response", "no_change"), and still read."""
    if f["verdict"] in COMPARED:
        return _(
            "you had %(after)s cramps a week against %(before)s before the start: "
            "%(verdict)s (%(change)s)."
        ) % _compared(f)
    if f["verdict"] == "response":
        return _(
            "you had %(after)s cramps a week against %(before)s in the 4 weeks before "
            "(%(change)+d%%)."
        ) % {"after": per_week(f["after"]), "before": per_week(f["before"]), "change": f["change"]}
    if f["verdict"] == "no_change":
        return _(
            "you had %(after)s cramps a week against %(before)s in the 4 weeks before "
            "(%(change)+d%%): not the 25%% fewer that counts as a response."
        ) % {"after": per_week(f["after"]), "before": per_week(f["before"]), "change": f["change"]}
    if f["verdict"] == "no_cramps_before":
        return _(
            "the cramps went on, but the diary has no cramps in the 4 weeks before, so it "
            "cannot show that quinine helps."
        )
    return _(
        "too few nights were logged (%(before)d before the start, %(after)d after; 14 of each "
        "are needed) to show whether quinine helps."
    ) % {"before": f["logged_before"], "after": f["logged"]}


def _clinician_quinine(f: dict) -> str:
    if f["verdict"] in COMPARED:
        return _(
            "%(after)s cramps a week against %(before)s before the start: %(verdict)s (%(change)s)."
        ) % _compared(f)
    if f["verdict"] in ("response", "no_change"):
        return _("%(after)s cramps a week against %(before)s before (%(change)+d%%).") % {
            "after": per_week(f["after"]),
            "before": per_week(f["before"]),
            "change": f["change"],
        }
    if f["verdict"] == "no_cramps_before":
        return _("cramps go on; none logged in the 4 weeks before the start.")
    return _("too few nights logged to judge (%(before)d before, %(after)d after).") % {
        "before": f["logged_before"],
        "after": f["logged"],
    }


def _quinine_last_review(f: dict) -> str:
    if f.get("reviewed"):
        return _("last reviewed %(day)s") % {"day": day(f["reviewed"])}
    return _("no review recorded")


QUININE_REVIEW = Rule(
    id="quinine_review",
    level=VISIT,
    window="",
    defaults={"quinine_review_after": 28, "quinine_reviewed_within": 84},
    reads=frozenset({"treatments", "quinine_reviewed"}),
    test=_quinine_review,
    reviewed=True,
    sources=("MHRA Drug Safety Update 2010: quinine for nocturnal leg cramps", CKS),
    words=Words(
        title=gettext_lazy("Quinine due for a review"),
        patient=lambda f: (
            _(
                "You have taken %(name)s since %(started)s. Quinine needs a review "
                "with your doctor "
                "after 4 weeks and then about every 3 months, with a trial without it; the diary "
                "has no review in the last 12 weeks. In weeks %(weeks)s, %(outcome)s "
                "Don't start or "
                "stop a prescribed medicine on your own."
            )
            % {
                "name": f["name"],
                "started": day(f["started"]),
                "weeks": f.get("weeks", "1-4"),
                "outcome": _quinine_outcome(f),
            }
        ),
        clinician=lambda f: (
            _("Quinine (%(name)s) since %(started)s, %(review)s; weeks %(weeks)s: %(outcome)s")
            % {
                "name": f["name"],
                "started": day(f["started"]),
                "review": _quinine_last_review(f),
                "weeks": f.get("weeks", "1-4"),
                "outcome": _clinician_quinine(f),
            }
        ),
    ),
)
