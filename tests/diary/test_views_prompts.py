"""The prompt box, /prompts/, answering a prompt, and the clinician marking one assessed."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from accounts.models import AccessRecord
from accounts.sharing import care_link_create
from diary.domain.records import CrampRecord, NightRecord
from diary.models import EndReason, Prompt
from diary.services.nights import night_delete, night_save
from diary.services.prompts import prompt_acknowledge, prompts_refresh

TODAY = date(2026, 11, 28)
YESTERDAY = date(2026, 11, 27)
MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
MILD = CrampRecord("calf", "left", 2, 3)
SEVERE_LONG = CrampRecord("calf", "left", 15, 9, True)
NOT_EASED = CrampRecord("calf", "left", 10, 9, True, relief="none")
URGENT_REASON = "On the night of 27 Nov you noted a severe cramp that would not stop."
PROMPT_BOX = re.compile(r"<section[^>]*\bprompt-box\b")
ALSO = re.compile(r"<li>\s*(Also:.*?)(?:<a |</li>)", re.DOTALL)


@pytest.fixture(autouse=True)
def _morning(clock, settings):
    settings.EMERGENCY_NUMBER = "112"
    clock(MORNING)


def warning_night(*flags: str, night: date = YESTERDAY, **fields) -> NightRecord:
    return NightRecord(
        night, red_flags=frozenset(flags or {"cramp_wont_stop"}), cramps=(MILD,), **fields
    )


@pytest.fixture
def four_runs(patient):
    """An urgent, a today and two visit runs, all from last night."""
    night_save(
        patient=patient,
        record=NightRecord(
            YESTERDAY,
            red_flags=frozenset({"cramp_wont_stop", "leg_swollen"}),
            symptoms=frozenset({"muscle_weakness"}),
            cramps=(SEVERE_LONG,),
        ),
    )
    runs = {run.rule: run for run in Prompt.objects.filter(patient=patient)}
    assert sorted(runs) == [
        "clot_signs",
        "prolonged_cramps",
        "severe_persistent",
        "weakness_atrophy",
    ]
    return runs


def urgent_run(patient) -> Prompt:
    night_save(patient=patient, record=warning_night())
    return Prompt.objects.get(patient=patient, rule="severe_persistent")


def _mgmt():
    return {
        "cramps-TOTAL_FORMS": "1",
        "cramps-INITIAL_FORMS": "0",
        "cramps-MIN_NUM_FORMS": "0",
        "cramps-MAX_NUM_FORMS": "20",
    }


def test_one_prompt_box_shows_the_urgent_level_and_one_line_for_each_other(
    patient_client, four_runs
):
    content = patient_client.get("/").content.decode()
    assert len(PROMPT_BOX.findall(content)) == 1
    assert "Seek immediate medical care" in content and "prompt-urgent" in content
    assert "A severe cramp that won&#x27;t stop" in content
    assert URGENT_REASON in content
    assert 'href="tel:112"' in content
    assert "Nobody watches this diary in real time" in content
    assert 'href="/log/2026-11-27/"' in content  # the evidence night, linked
    assert 'href="/advice/"' in content
    also = [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in ALSO.findall(content)]
    assert also == [
        "Also: Contact a doctor today, 1 reason",
        "Also: Schedule an office visit, 2 reasons",
    ]
    assert "I have sought care" in content and "It has passed; I did not need care" in content
    assert "I have booked a visit" not in content  # only the box's level offers its answers
    assert "A swollen, red or warm calf" not in content  # a lower level is one line


def test_a_visit_run_alone_offers_booking_a_visit(patient_client, patient):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)))
    content = patient_client.get("/").content.decode()
    assert "Schedule an office visit" in content and "prompt-visit" in content
    assert "I have booked a visit" in content and "I have sought care" not in content
    assert "tel:" not in content


def test_on_the_log_page_an_urgent_level_stands_first_in_full(patient_client, four_runs):
    content = patient_client.get("/log/").content.decode()
    boxes = [match.start() for match in PROMPT_BOX.finditer(content)]
    assert len(boxes) == 1
    assert boxes[0] < content.index("No cramps last night")


def test_on_the_log_page_another_level_is_one_line_under_no_cramps(patient_client, patient):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)))
    content = patient_client.get("/log/").content.decode()
    assert not PROMPT_BOX.search(content)
    line = content.index("prompt-line")
    assert content.index("No cramps last night") < line < content.index("Had cramps?")
    assert "Schedule an office visit: 1 reason." in content


def test_right_after_logging_a_warning_sign_the_patient_is_told_to_seek_care(patient_client):
    data = {
        **_mgmt(),
        "cramps-0-muscle": "calf",
        "cramps-0-side": "left",
        "cramps-0-duration_minutes": "3",
        "cramps-0-severity": "9",
        "night-red_flags": ["cramp_wont_stop"],
    }
    content = patient_client.post("/log/", data, follow=True).content.decode()
    assert "Seek immediate medical care" in content
    assert 'href="tel:112"' in content
    assert URGENT_REASON in content


def test_a_patient_without_worrying_nights_sees_no_prompt(patient_client, patient):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(MILD,)))
    content = patient_client.get("/").content.decode()
    assert not PROMPT_BOX.search(content)
    assert "Seek immediate medical care" not in content


def test_answering_records_it_and_returns_to_the_page(patient_client, patient):
    run = urgent_run(patient)
    response = patient_client.post(
        f"/prompts/{run.pk}/acknowledge/", {"answer": "passed", "next": "/history/"}
    )
    assert response.status_code == 302 and response.url == "/history/"
    run.refresh_from_db()
    assert run.acknowledgement == "passed" and run.acknowledged_at == MORNING
    assert run.ended is None  # the rule still fires: one line until it ends
    content = patient_client.get("/").content.decode()
    assert not PROMPT_BOX.search(content)  # answered runs leave the box
    assert URGENT_REASON not in content
    content = patient_client.get("/prompts/").content.decode()
    assert "You said “It has passed; I did not need care” on 28 Nov." in content


@pytest.mark.parametrize(
    "next_page", ["https://evil.example.org/", "//evil.example.org/", "", "javascript:alert(1)"]
)
def test_answering_never_redirects_to_another_site(patient_client, patient, next_page):
    run = urgent_run(patient)
    response = patient_client.post(
        f"/prompts/{run.pk}/acknowledge/", {"answer": "sought_care", "next": next_page}
    )
    assert response.status_code == 302 and response.url == "/prompts/"


@pytest.mark.parametrize("answer", ["booked_visit", "", "maybe"])
def test_an_answer_the_prompt_does_not_offer_is_refused(patient_client, patient, answer):
    run = urgent_run(patient)
    data = {"answer": answer} if answer else {}
    response = patient_client.post(f"/prompts/{run.pk}/acknowledge/", data)
    assert response.status_code == 400
    run.refresh_from_db()
    assert run.acknowledged_at is None and run.acknowledgement == ""


def test_another_patient_can_neither_answer_nor_see_a_prompt(patient, other_client):
    run = urgent_run(patient)
    response = other_client.post(f"/prompts/{run.pk}/acknowledge/", {"answer": "passed"})
    assert response.status_code == 404
    page = other_client.get("/prompts/")
    assert page.context["current"] == [] and URGENT_REASON not in page.content.decode()
    assert "severe cramp" not in other_client.get("/").content.decode()
    run.refresh_from_db()
    assert run.acknowledged_at is None


def test_an_ended_prompt_cannot_be_answered(patient_client, patient):
    run = urgent_run(patient)
    night_delete(patient=patient, night=YESTERDAY)
    response = patient_client.post(f"/prompts/{run.pk}/acknowledge/", {"answer": "passed"})
    assert response.status_code == 404


def test_answering_is_post_only(patient_client, patient):
    run = urgent_run(patient)
    assert patient_client.get(f"/prompts/{run.pk}/acknowledge/").status_code == 405


def test_the_prompts_page_lists_current_and_past_runs(patient_client, patient, clock):
    run = urgent_run(patient)
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="sought_care")
    night_save(patient=patient, record=warning_night("leg_swollen", night=date(2026, 11, 26)))
    night_delete(patient=patient, night=date(2026, 11, 26))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(SEVERE_LONG,)))
    clock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    page = patient_client.get("/prompts/")
    content = page.content.decode()
    assert [prompt.rule for prompt in page.context["current"]] == ["prolonged_cramps"]
    assert "Cramps lasting 10 minutes or more" in content
    assert "I have booked a visit" in content
    assert [(p.rule, p.end_reason) for p in page.context["past"]] == [
        ("severe_persistent", EndReason.NO_LONGER_FIRES),
        ("clot_signs", EndReason.DIARY_CHANGED),
    ]
    assert "From 28 Nov 2026 until 30 Nov 2026: ended because no longer fires." in content
    assert "ended because the diary was changed." in content
    assert "You said “I have sought care” on 28 Nov 2026." in content
    assert len(PROMPT_BOX.findall(content)) == 1  # the box in full, over the list


def test_the_prompts_page_with_nothing_to_show(patient_client):
    content = patient_client.get("/prompts/").content.decode()
    assert "Nothing in your diary calls for a doctor today." in content
    assert "No earlier prompts." in content


def test_the_clinician_reads_the_patients_answer_in_the_third_person(
    patient, clinician, clinician_client
):
    care_link_create(patient=patient, clinician=clinician)
    run = urgent_run(patient)
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="passed")
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/").content.decode()
    assert "It has passed; I did not need care" in content
    assert "Worth raising at the next visit." in content
    assert "Reported a severe cramp that would not stop on the night of 27 Nov." in content
    assert "you noted" not in content and "you reported" not in content
    assert "Mark as assessed" in content


def test_the_patients_own_summary_speaks_to_the_patient(patient_client, patient):
    urgent_run(patient)
    content = patient_client.get("/summary/").content.decode()
    assert URGENT_REASON in content
    assert "Reported a severe cramp" not in content


def test_the_linked_clinician_marks_a_prompt_assessed(patient, patient_client, clinicians):
    run = urgent_run(patient)
    linda = clinicians["users"]["linked"]
    response = clinicians["linked"].post(
        f"/clinic/patients/{patient.public_id}/prompts/{run.pk}/assess/"
    )
    assert response.status_code == 302
    assert response.url == f"/clinic/patients/{patient.public_id}/"
    run.refresh_from_db()
    assert run.assessed_at == MORNING and run.assessed_by == linda
    assert run.assessed_by_name == "Dr Linda Linked"
    assert AccessRecord.objects.filter(
        patient=patient, clinician=linda, what="assessed prompt"
    ).exists()
    summary = clinicians["linked"].get(f"/clinic/patients/{patient.public_id}/").content.decode()
    assert "Assessed by Dr Linda Linked (28 Nov 2026)." in summary

    content = patient_client.get("/").content.decode()
    assert not PROMPT_BOX.search(content) and URGENT_REASON not in content
    assert 'role="alert"' not in content
    content = patient_client.get("/prompts/").content.decode()
    assert "Dr Linda Linked has seen this on 28 Nov." in content


@pytest.mark.parametrize("who", ["unlinked", "revoked"])
def test_an_unlinked_or_revoked_clinician_cannot_mark_a_prompt_assessed(patient, clinicians, who):
    run = urgent_run(patient)
    response = clinicians[who].post(
        f"/clinic/patients/{patient.public_id}/prompts/{run.pk}/assess/"
    )
    assert response.status_code == 404
    run.refresh_from_db()
    assert run.assessed_at is None and run.assessed_by is None and run.seen_evidence == []
    assert not AccessRecord.objects.filter(what="assessed prompt").exists()


def test_a_clinician_cannot_assess_another_patients_prompt_through_a_link(
    patient, other_patient, clinicians
):
    night_save(patient=other_patient, record=warning_night())
    run = Prompt.objects.get(patient=other_patient)
    response = clinicians["linked"].post(
        f"/clinic/patients/{patient.public_id}/prompts/{run.pk}/assess/"
    )
    assert response.status_code == 404
    run.refresh_from_db()
    assert run.assessed_at is None
    assert not AccessRecord.objects.filter(what="assessed prompt").exists()


def test_assessing_is_post_only_and_for_clinicians(patient, patient_client, clinicians):
    run = urgent_run(patient)
    path = f"/clinic/patients/{patient.public_id}/prompts/{run.pk}/assess/"
    assert clinicians["linked"].get(path).status_code == 405
    assert patient_client.post(path).status_code == 404
    run.refresh_from_db()
    assert run.assessed_at is None


def test_a_lapsed_urgent_prompt_speaks_in_the_past_tense(patient_client, patient, clock):
    urgent_run(patient)
    clock(MORNING + timedelta(days=7))
    content = patient_client.get("/").content.decode()
    assert "you reported a severe cramp that would not stop" in content
    # The action line itself is in the past form, in sight (not behind "Why am I seeing this?").
    action = content.split('class="mb-1 prompt-action"')[1].split("</p>")[0]
    assert "If it is still happening, call" in action
    assert "or go to an emergency department now. Otherwise, tell us below what you did." in action
    assert 'href="tel:112"' in action
    reason = content.split('class="prompt-past-reason"')[1].split("</span>")[0]
    assert "you reported a severe cramp that would not stop" in reason
    assert content.index("prompt-past-reason") < content.index("<summary>Why?</summary>")


def test_the_dashboard_reads_stored_runs_kept_current_by_refreshing(patient, clinicians, clock):
    run = urgent_run(patient)
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="sought_care")
    clock(MORNING + timedelta(days=2))
    prompts_refresh(patient=patient, today=TODAY + timedelta(days=2))
    clinicians["linked"].force_login(clinicians["users"]["linked"])  # a new working day
    content = clinicians["linked"].get(f"/clinic/patients/{patient.public_id}/").content.decode()
    assert "ended: no longer fires" in content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/prompts/"])
def test_visitors_are_sent_to_log_in(client, path):
    assert client.get(path).url.startswith("/accounts/login/")
    assert client.post("/prompts/1/acknowledge/").url.startswith("/accounts/login/")


def test_clinicians_get_404(clinician_client):
    assert clinician_client.get("/prompts/").status_code == 404
    assert clinician_client.post("/prompts/1/acknowledge/").status_code == 404


@pytest.mark.django_db
def test_advice_is_open_to_everyone(client, patient, clinician):
    assert "Pull your toes" in client.get("/advice/").content.decode()
    for user in (patient, clinician):
        signed_in = Client()
        signed_in.force_login(user)
        assert signed_in.get("/advice/").status_code == 200


def _level_runs(patient, level):
    return list(Prompt.objects.filter(patient=patient, level=level, ended__isnull=True))


def test_one_answer_covers_every_run_of_the_level_and_says_so_at_the_top(patient_client, patient):
    night_save(
        patient=patient,
        record=NightRecord(YESTERDAY, red_flags=frozenset({"leg_swollen"}), cramps=(NOT_EASED,)),
    )
    today = _level_runs(patient, "today")
    assert sorted(run.rule for run in today) == ["clot_signs", "severe_prolonged"]
    response = patient_client.post(
        "/prompts/answer/",
        {"level": "today", "run": [run.pk for run in today], "answer": "sought_care", "next": "/"},
        follow=True,
    )
    content = response.content.decode()
    assert all(run.acknowledgement == "sought_care" for run in _level_runs(patient, "today"))
    assert "Noted: you have sought care." in content
    assert content.index("Noted: you have sought care.") < content.index("<h1")


def test_an_answer_never_covers_a_run_raised_after_the_page_was_drawn(patient_client, patient):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)))
    shown = _level_runs(patient, "visit")
    assert [run.rule for run in shown] == ["prolonged_cramps"]
    night_save(patient=patient, record=warning_night(symptoms=frozenset({"muscle_weakness"})))
    later = Prompt.objects.get(patient=patient, rule="weakness_atrophy")
    response = patient_client.post(
        "/prompts/answer/",
        {"level": "visit", "run": [run.pk for run in shown], "answer": "doctor_knows"},
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.acknowledged_at is None
    assert Prompt.objects.get(pk=shown[0].pk).acknowledgement == "doctor_knows"


@pytest.mark.parametrize(
    "posted",
    [
        {"level": "today", "answer": "passed"},  # the swollen calf cannot pass
        {"level": "visit", "answer": "sought_care"},  # not a visit answer
        {"level": "urgent", "answer": "sought_care"},  # the runs are of another level
        {"level": "today", "answer": "sought_care", "run": ["x"]},
        {"level": "today", "answer": "sought_care", "run": []},
    ],
)
def test_an_answer_not_offered_changes_nothing(patient_client, patient, posted):
    night_save(patient=patient, record=warning_night("leg_swollen"))
    run = Prompt.objects.get(patient=patient, rule="clot_signs")
    data = {"run": [run.pk], **posted}
    response = patient_client.post("/prompts/answer/", data)
    assert response.status_code == 400
    run.refresh_from_db()
    assert run.acknowledged_at is None


def test_another_patients_run_in_the_answer_changes_nothing(patient, other_patient, other_client):
    night_save(patient=patient, record=warning_night("leg_swollen"))
    mine = Prompt.objects.get(patient=patient, rule="clot_signs")
    other = other_patient
    night_save(patient=other, record=warning_night("leg_swollen"))
    theirs = Prompt.objects.get(patient=other, rule="clot_signs")
    response = other_client.post(
        "/prompts/answer/",
        {"level": "today", "run": [mine.pk, theirs.pk], "answer": "sought_care"},
    )
    assert response.status_code == 400
    assert not Prompt.objects.filter(acknowledged_at__isnull=False).exists()
