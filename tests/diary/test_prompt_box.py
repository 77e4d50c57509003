"""The prompt box by level (diary.domain.prompt_box): plain data in, plain data out."""

from diary.domain.prompt_box import ShownRun, box


def run(rule, level, number=1, past=False):
    return ShownRun(id=number, rule=rule, level=level, past=past)


def test_nothing_unanswered_no_box():
    assert box([]) is None


def test_the_most_pressing_level_and_one_also_line_for_each_lower_level():
    shown = box(
        [
            run("prolonged_cramps", "visit", 1),
            run("clot_signs", "today", 2),
            run("venous_disease", "visit", 3),
            run("severe_prolonged", "today", 4),
            run("medication_review", "visit", 5),
        ]
    )
    assert shown.level == "today" and shown.heading == "Contact a doctor today"
    assert [reason.run.rule for reason in shown.reasons] == ["clot_signs", "severe_prolonged"]
    assert shown.run_ids == (2, 4)
    assert [(other.level, other.count) for other in shown.others] == [("visit", 3)]


def test_a_shared_action_is_said_once_with_its_second_sentence():
    shown = box([run("clot_signs", "today", 1), run("severe_prolonged", "today", 2)])
    assert shown.action.startswith("Call your doctor's practice today")
    assert all(reason.action == "" for reason in shown.reasons)
    assert len(shown.also) == 1 and "short of breath" in shown.also[0]


def test_different_actions_give_the_level_sentence_and_each_reason_its_own():
    shown = box([run("clot_signs", "today", 1), run("electrolyte_risk", "today", 2)])
    assert shown.action.startswith("Call your doctor's practice today, or an urgent-care")
    assert [bool(reason.action) for reason in shown.reasons] == [True, True]
    assert "blood test" in shown.reasons[1].action


def test_a_pregnancy_rule_puts_the_midwife_first():
    shown = box([run("pregnancy_one_sided", "today", 1), run("electrolyte_risk", "today", 2)])
    assert shown.action.startswith("Call your midwife or maternity unit today")


def test_a_visit_level_gives_the_shortest_time_frame():
    shown = box([run("prolonged_cramps", "visit", 1), run("weakness_atrophy", "visit", 2)])
    assert "within the next 2 weeks" in shown.action
    alone = box([run("prolonged_cramps", "visit", 1)])
    assert "in the next few weeks" in alone.action


def test_the_past_form_only_when_every_run_of_the_level_is_past():
    both = box(
        [run("clot_signs", "today", 1, past=True), run("severe_prolonged", "today", 2, True)]
    )
    assert both.action.startswith("If it is still happening, call your doctor's practice")
    one = box([run("clot_signs", "today", 1, past=True), run("severe_prolonged", "today", 2)])
    assert one.action.startswith("Call your doctor's practice today")


def test_it_has_passed_only_when_every_run_of_the_level_can_pass():
    assert box([run("severe_prolonged", "today", 1)]).answers == ("sought_care", "passed")
    mixed = box([run("severe_prolonged", "today", 1), run("clot_signs", "today", 2)])
    assert mixed.answers == ("sought_care", "doctor_checked")
    assert box([run("venous_disease", "visit", 1)]).answers == ("booked_visit", "doctor_knows")
