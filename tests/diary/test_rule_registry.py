"""The rule registry: one entry per rule holding its test, thresholds, facts, sources and words;
a new rule is an entry and its words and nothing else; unknown thresholds stop start-up; and
the words each level tells the patient (actions, time frames, the past tense, after a birth)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from diary.apps import triage_thresholds_check
from diary.domain import reasons, rules, runs
from diary.domain.records import CrampRecord, NightRecord
from diary.domain.rules import REGISTRY, Thresholds, evaluate
from diary.domain.rules.base import WITHIN_TWO_WEEKS, Action, HealthFacts, Rule, Words, finding
from diary.services.nights import night_save
from diary.services.prompts import current_prompts, prompt_box

TODAY = date(2026, 11, 28)


def test_every_entry_is_whole():
    declared = rules.defaults()
    for rule_id, entry in REGISTRY.items():
        assert entry.id == rule_id
        assert entry.level in runs.LEVELS
        assert entry.sources, rule_id
        assert str(entry.words.title)
        assert entry.window == "" or entry.window in declared, rule_id
        assert set(entry.reads) <= set(HealthFacts.__dataclass_fields__), rule_id
        # Urgent and today rules speak in the past tense once they no longer fire.
        assert (entry.words.past is not None) == (entry.level != runs.VISIT), rule_id


def test_only_the_two_rules_that_can_pass_offer_it_has_passed():
    assert {rule for rule, entry in REGISTRY.items() if entry.can_pass} == {
        "severe_persistent",
        "severe_prolonged",
    }
    assert runs.answers(runs.URGENT, True) == (runs.SOUGHT_CARE, runs.PASSED)
    assert runs.answers(runs.TODAY, False) == (runs.SOUGHT_CARE, runs.DOCTOR_CHECKED)
    assert runs.answers(runs.VISIT, False) == (runs.BOOKED_VISIT, runs.DOCTOR_KNOWS)


def test_the_settings_may_override_only_a_declared_threshold():
    assert Thresholds(prolonged_window=7).prolonged_window == 7
    assert Thresholds().prolonged_window == 14
    with pytest.raises(ValueError, match="prolonged_windw"):
        Thresholds(prolonged_windw=7)


def test_an_unknown_threshold_in_the_settings_stops_start_up(settings):
    settings.TRIAGE_THRESHOLDS = {"pad_rest_pain_window": 10}
    assert triage_thresholds_check() == []
    settings.TRIAGE_THRESHOLDS = {"pad_window": 10}
    (error,) = triage_thresholds_check()
    assert error.id == "diary.E001" and "pad_window" in error.msg
    with pytest.raises(SystemCheckError):
        call_command("check", "--tag", "triage")


# A throwaway rule: only its registry entry and its words (nothing in the services, models,
# templates or settings knows it), and it fires, is stored and renders.


def _ankle_cramps(diary, facts):
    size = diary.t.ankle_window
    window = diary.window(size)
    nights = [n for n in window if any(c.muscle == "toes" for c in n.cramps)]
    if len(nights) < diary.t.ankle_nights:
        return None
    return finding(runs.TODAY, "ankle_cramps", nights, window, size, nights=len(nights))


ANKLE = Rule(
    id="ankle_cramps",
    level=runs.TODAY,
    window="ankle_window",
    defaults={"ankle_window": 5, "ankle_nights": 2},
    test=_ankle_cramps,
    sources=("a test",),
    words=Words(
        title=gettext_lazy("Ankle cramps"),
        patient=lambda f: f"Ankle cramps on {f['nights']} nights.",
        clinician=lambda f: f"Ankle cramps on {f['nights']} nights (clinician).",
        past=lambda f: "You reported ankle cramps.",
        action=Action(present="Phone the ankle line today.", past="phone the ankle line"),
    ),
)


@pytest.fixture
def ankle_rule(monkeypatch):
    monkeypatch.setitem(REGISTRY, ANKLE.id, ANKLE)
    return ANKLE


def _toe_cramp_night(day: date) -> NightRecord:
    return NightRecord(day, cramps=(CrampRecord("toes", "left", 1, 2),))


def test_a_throwaway_rule_fires_from_its_entry_alone(ankle_rule, settings):
    nights = [_toe_cramp_night(TODAY - timedelta(days=d)) for d in (1, 5)]
    found = evaluate(HealthFacts(), nights, TODAY, Thresholds())
    assert [f.rule for f in found] == ["ankle_cramps"]
    assert not evaluate(HealthFacts(), nights[:1], TODAY, Thresholds())
    # Its thresholds are declared by its entry: the settings may override them.
    settings.TRIAGE_THRESHOLDS = {"ankle_nights": 3}
    assert triage_thresholds_check() == []
    assert not evaluate(HealthFacts(), nights, TODAY, Thresholds(ankle_nights=3))


def test_a_throwaway_rule_is_stored_and_renders(ankle_rule, patient, clock, rf):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    for d in (1, 2):
        night_save(patient=patient, record=_toe_cramp_night(TODAY - timedelta(days=d)))
    (run,) = current_prompts(patient)
    assert (run.rule, run.level, run.title) == ("ankle_cramps", "today", "Ankle cramps")
    assert run.patient_reason == "Ankle cramps on 2 nights. (Only 2 of the last 5 nights logged.)"
    assert run.clinician_reason.startswith("Ankle cramps on 2 nights (clinician).")
    assert [answer.value for answer in run.acknowledgement_choices] == [
        "sought_care",
        "doctor_checked",
    ]
    request = rf.get("/prompts/")
    request.user = patient
    html = render_to_string("diary/includes/prompt.html", {"prompt": run}, request=request)
    assert "Ankle cramps on 2 nights." in html and "Phone the ankle line today." in html
    assert "A doctor has already checked this" in html


# What each level tells the patient


def _action(rule: str, past=False) -> str:
    return reasons.action_line(rule, past=past)


@pytest.mark.parametrize(
    ("rule", "frame"),
    [
        ("weakness_atrophy", "within the next 2 weeks"),
        ("artery_disease", "within the next 2 weeks"),
        ("not_typical", "within the next 2 weeks"),
        ("prolonged_cramps", "in the next few weeks"),
        ("medication_review", "in the next few weeks"),
        ("quinine_review", "in the next few weeks"),
    ],
)
def test_a_visit_action_gives_a_time_frame(rule, frame):
    assert (
        _action(rule) == f"Book an appointment with your doctor {frame} to talk about your cramps."
    )


def test_only_three_visit_rules_say_within_2_weeks():
    soon = {r for r, e in REGISTRY.items() if e.words.time_frame == WITHIN_TWO_WEEKS}
    assert soon == {"weakness_atrophy", "artery_disease", "not_typical"}


@pytest.mark.parametrize(
    ("rule", "present", "past"),
    [
        (
            "severe_persistent",
            "Call %(number)s or go to an emergency department now.",
            "If it is still happening, call %(number)s or go to an emergency department now. "
            "Otherwise, tell us below what you did.",
        ),
        (
            "toxin_exposure_earlier",
            "Call your doctor's practice today and ask for a blood test (say what you were "
            "exposed to).",
            "If it is still happening, call your doctor's practice and ask for a blood test (say "
            "what you were exposed to) now. Otherwise, tell us below what you did.",
        ),
        (
            "electrolyte_risk",
            "Call your doctor's practice today and ask for a blood test.",
            "If it is still happening, call your doctor's practice and ask for a blood test now. "
            "Otherwise, tell us below what you did.",
        ),
        (
            "young_one_sided_pain",
            "See a doctor within 2 days: call your doctor's practice today to arrange it.",
            "If it is still happening, call your doctor's practice to see a doctor within 2 days "
            "now. Otherwise, tell us below what you did.",
        ),
        (
            "clot_signs",
            "Call your doctor's practice today, or an urgent-care or advice line if it is closed.",
            "If it is still happening, call your doctor's practice, or an urgent-care or advice "
            "line now. Otherwise, tell us below what you did.",
        ),
    ],
)
def test_each_rule_says_its_action_now_and_in_the_past(rule, present, past):
    assert _action(rule) == present
    assert _action(rule, past=True) == past


@pytest.mark.parametrize("rule", ["pregnancy_one_sided", "quinine_pregnancy"])
def test_the_pregnancy_rules_put_the_midwife_first(rule):
    assert _action(rule).startswith("Call your midwife or maternity unit today, or your doctor")
    assert _action(rule, past=True).startswith(
        "If it is still happening, call your midwife or maternity unit, or your doctor"
    )


@pytest.mark.parametrize(
    ("rule", "also"),
    [("clot_signs", True), ("pregnancy_one_sided", True), ("severe_prolonged", False)],
)
def test_clot_rules_add_the_short_of_breath_line(rule, also):
    line = "If you are also short of breath or have chest pain, call %(number)s now."
    assert (reasons.action_also(rule) == line) is also


PREGNANCY_FIGURES = {"nights": 1, "minutes": 20.0, "logged": 7, "window": 7}


@pytest.mark.parametrize(
    ("after_birth", "opening", "past_opening"),
    [
        (False, "While pregnant you had a cramp", "You reported long cramps in one leg while"),
        (True, "Since you gave birth you had a cramp", "You reported long cramps in one leg since"),
    ],
)
def test_the_pregnancy_reason_says_since_you_gave_birth_once_the_date_has_passed(
    after_birth, opening, past_opening
):
    figures = {**PREGNANCY_FIGURES, "after_birth": after_birth}
    assert reasons.reason("pregnancy_one_sided", figures).startswith(opening)
    assert reasons.reason("pregnancy_one_sided", figures, past=True).startswith(past_opening)


def test_the_past_tense_action_line_is_in_sight_on_the_prompt_box(patient, clock, rf):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    swollen = NightRecord(TODAY - timedelta(days=1), red_flags=frozenset({"leg_swollen"}))
    night_save(patient=patient, record=swollen)
    clock(datetime(2026, 12, 5, 9, 0, tzinfo=UTC))
    (run,) = current_prompts(patient)
    assert run.is_past
    request = rf.get("/")
    request.user = patient
    context = {"prompt_box": prompt_box([run]), "EMERGENCY_NUMBER": "112"}
    html = render_to_string("diary/includes/prompt_box.html", context, request=request)
    action = html.split('class="mb-1 prompt-action"')[1].split("</p>")[0]
    assert "If it is still happening, call your doctor&#x27;s practice" in action
    assert (
        'If you are also short of breath or have chest pain, call <a class="alert-link" '
        'href="tel:112">112</a> now.'
    ) in action
    assert html.index("prompt-past-reason") < html.index("<summary>Why?</summary>")
