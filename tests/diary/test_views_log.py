from datetime import UTC, date, datetime

import pytest

from diary.domain.records import CrampRecord, NightRecord
from diary.models import Cramp, Night
from diary.services.nights import night_record, night_save

# 09:00 in London on Saturday 28 November 2026: last night is the night of Friday the 27th.
MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)
CALF = CrampRecord("calf", "left", 3, 6, True, frozenset({"flex_foot"}), "some")


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _management(total, initial=0):
    return {
        "cramps-TOTAL_FORMS": str(total),
        "cramps-INITIAL_FORMS": str(initial),
        "cramps-MIN_NUM_FORMS": "0",
        "cramps-MAX_NUM_FORMS": "20",
    }


def _cramp(index, **overrides):
    fields = {
        "muscle": "calf",
        "side": "left",
        "duration_minutes": "2.5",
        "severity": "7",
        "woke": "on",
        "remedies": ["flex_foot", "massage"],
        "relief": "some",
        **overrides,
    }
    return {f"cramps-{index}-{name}": value for name, value in fields.items() if value is not None}


def _log(*cramps, **night_fields):
    data = _management(len(cramps))
    for index, cramp in enumerate(cramps):
        data.update(cramp if isinstance(cramp, dict) else _cramp(index))
    data.update({f"night-{name}": value for name, value in night_fields.items()})
    return data


# Opening the log


def test_log_opens_on_last_night_in_the_patients_zone(patient_client):
    response = patient_client.get("/log/")
    assert response.status_code == 200
    assert response.context["night"] == LAST_NIGHT
    assert "The night of Friday 27 November" in response.content.decode()


def test_log_for_a_patient_in_new_york_at_00_30_is_the_evening_before(
    clock, patient_client, patient
):
    patient.time_zone = "America/New_York"
    patient.save()
    clock(datetime(2026, 11, 28, 5, 30, tzinfo=UTC))  # 00:30 on the 28th in New York
    assert patient_client.get("/log/").context["night"] == date(2026, 11, 27)
    clock(datetime(2026, 11, 28, 4, 30, tzinfo=UTC))  # 23:30 on the 27th in New York
    assert patient_client.get("/log/").context["night"] == date(2026, 11, 26)


def test_log_opens_last_night_for_editing_when_already_logged(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, notes="restless", cramps=(CALF,)))
    response = patient_client.get("/log/")
    assert response.context["existing"] is not None
    assert response.context["night_form"].initial["notes"] == "restless"
    assert response.context["cramp_formset"].initial[0]["muscle"] == "calf"
    assert "Already logged" in response.content.decode()


def test_short_vocabularies_are_buttons_not_drop_downs(patient_client):
    content = patient_client.get("/log/").content.decode()
    assert "<select" not in content
    assert 'type="radio" name="cramps-0-muscle"' in content
    assert 'type="checkbox" name="cramps-0-remedies"' in content


def test_picking_a_date_opens_that_night(patient_client):
    response = patient_client.get("/log/?date=2026-11-02")
    assert response.url == "/log/2026-11-02/"
    response = patient_client.get("/log/?date=yesterday", follow=True)
    assert "Please pick a date" in response.content.decode()


def test_a_date_that_does_not_exist_is_404(patient_client):
    assert patient_client.get("/log/2026-02-30/").status_code == 404
    assert patient_client.get("/log/0001-01-01/").status_code == 404


# Saving a night with cramps


def test_a_cramp_night_is_saved_with_its_answers(patient_client, patient):
    response = patient_client.post(
        "/log/",
        _log(
            _cramp(0),
            _cramp(
                1,
                muscle="foot",
                side="right",
                duration_minutes="0.5",
                severity="3",
                woke=None,
                remedies=[],
                relief=None,
            ),
            sleep_quality="2",
            daytime_impairment="moderate",
            prevention=["fluids", "stretching"],
            notes="  woke twice  ",
        ),
    )
    assert response.status_code == 302 and response.url == "/log/2026-11-27/saved/"
    record = night_record(patient=patient, night=LAST_NIGHT)
    assert record.sleep_quality == 2 and record.daytime_impairment == "moderate"
    assert record.prevention == {"fluids", "stretching"} and record.notes == "woke twice"
    assert record.cramps == (
        CrampRecord("calf", "left", 2.5, 7, True, frozenset({"flex_foot", "massage"}), "some"),
        CrampRecord("foot", "right", 0.5, 3, False, frozenset(), ""),
    )


def test_a_blank_cramp_form_is_ignored(patient_client, patient):
    data = _log(_cramp(0))
    data.update(_management(2))  # a second, untouched cramp form
    patient_client.post("/log/", data)
    assert len(night_record(patient=patient, night=LAST_NIGHT).cramps) == 1


def test_saving_replaces_the_nights_cramps_with_exactly_those_submitted(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(CALF, CALF, CALF)))
    data = _log(_cramp(0, muscle="shin"), _cramp(1, DELETE="on"), _cramp(2, muscle="toes"))
    data.update(_management(3, initial=3))
    patient_client.post("/log/", data)
    assert [c.muscle for c in night_record(patient=patient, night=LAST_NIGHT).cramps] == [
        "shin",
        "toes",
    ]
    assert Cramp.objects.count() == 2


def test_submitting_twice_updates_and_never_duplicates(patient_client, patient):
    data = _log(_cramp(0))
    first = patient_client.post("/log/", data)
    second = patient_client.post("/log/", data)
    assert first.status_code == second.status_code == 302
    assert Night.objects.count() == 1 and Cramp.objects.count() == 1


def test_add_another_cramp_works_without_javascript_and_saves_nothing(patient_client):
    data = _log(_cramp(0))
    data["add_cramp"] = "1"
    response = patient_client.post("/log/", data)
    assert response.status_code == 200
    formset = response.context["cramp_formset"]
    assert formset.total_form_count() == 2
    assert formset.forms[0]["muscle"].value() == "calf"
    assert not Night.objects.exists()


def test_remove_this_cramp_works_without_javascript_and_saves_nothing(patient_client):
    data = _log(_cramp(0, muscle="shin"), _cramp(1, muscle="foot"), _cramp(2, muscle="toes"))
    data["remove_cramp"] = "1"
    response = patient_client.post("/log/", data)
    assert response.status_code == 200
    formset = response.context["cramp_formset"]
    assert [form["muscle"].value() for form in formset.forms] == ["shin", "toes"]
    assert formset.forms[1]["severity"].value() == "7"  # the later cramp moved up whole
    assert not Night.objects.exists()


@pytest.mark.parametrize("index", ["3", "-1", "x", "", "9" * 50])
def test_removing_a_cramp_that_is_not_there_changes_nothing(patient_client, index):
    data = {**_log(_cramp(0), _cramp(1, muscle="foot")), "remove_cramp": index}
    response = patient_client.post("/log/", data)
    assert response.status_code == 200
    assert response.context["cramp_formset"].total_form_count() == 2
    assert not Night.objects.exists()


def test_the_remove_mark_is_empty_until_tapped(patient_client):
    """offline.js reads any value of a cramp's DELETE field as a removal."""
    page = patient_client.get("/log/").content.decode()
    assert 'name="cramps-0-DELETE" value=""' in page or 'value="" name="cramps-0-DELETE"' in page
    assert 'name="remove_cramp" value="0"' in page


def test_minutes_show_as_typed(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(CALF,)))
    page = patient_client.get("/log/").content.decode()
    assert 'value="3"' in page and 'value="3.0"' not in page


def test_same_as_last_time_is_offered_only_when_there_is_a_last_time(patient_client, patient):
    assert "Same as last time" not in patient_client.get("/log/").content.decode()
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20)))  # no cramps to copy
    assert "Same as last time" not in patient_client.get("/log/").content.decode()
    night_save(patient=patient, record=NightRecord(date(2026, 11, 21), cramps=(CALF,)))
    assert "Same as last time" in patient_client.get("/log/").content.decode()
    assert "Same as last time" not in patient_client.get("/log/2026-11-21/").content.decode()


def test_same_as_last_time_fills_in_the_last_cramp_nights_cramps(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 24)))
    response = patient_client.get("/log/?same=1")
    formset = response.context["cramp_formset"]
    assert [form.initial for form in formset.forms] == [
        {
            "muscle": "calf",
            "side": "left",
            "duration_minutes": 3,
            "severity": 6,
            "woke": True,
            "remedies": ["flex_foot"],
            "relief": "some",
        }
    ]


# Bad input


BAD_CRAMPS = [
    ({"severity": "11"}, "severity", "0 to 10"),
    ({"severity": "-1"}, "severity", "0 to 10"),
    ({"duration_minutes": "0"}, "duration_minutes", "From 0.01 to 240 minutes"),
    ({"duration_minutes": "600"}, "duration_minutes", "From 0.01 to 240 minutes"),
    ({"duration_minutes": "1e-9"}, "duration_minutes", "From 0.01 to 240 minutes"),
    ({"duration_minutes": "long"}, "duration_minutes", "number"),
    ({"muscle": "neck"}, "muscle", "choices shown"),
    ({"muscle": None}, "muscle", "Which muscle cramped?"),
    ({"side": None}, "side", "Which side?"),
    ({"severity": None}, "severity", "How bad"),
    ({"remedies": ["prayer"]}, "remedies", "choices shown"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_CRAMPS)
def test_a_bad_cramp_value_is_shown_by_its_field_and_saves_nothing(
    patient_client, overrides, field, message
):
    response = patient_client.post("/log/", _log(_cramp(0, **overrides)))
    assert response.status_code == 200
    errors = response.context["cramp_formset"].forms[0].errors
    assert message in " ".join(errors[field])
    assert f'id="id_cramps-0-{field}_errors"' in response.content.decode() or field in (
        "duration_minutes",
    )
    assert not Night.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"notes": "x" * 10_000}, "notes", "At most 2000 characters"),
        ({"toxin_substance": "lead"}, "toxin_substance", "exposed to a toxin"),
        ({"sleep_quality": "9"}, "sleep_quality", "valid choice"),
        ({"daytime_impairment": "awful"}, "daytime_impairment", "choices shown"),
    ],
)
def test_a_bad_night_value_is_shown_by_its_field_and_saves_nothing(
    patient_client, patient, fields, field, message
):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, notes="as it was"))
    response = patient_client.post("/log/", _log(_cramp(0), **fields))
    assert response.status_code == 200
    assert message in " ".join(response.context["night_form"].errors[field])
    assert night_record(patient=patient, night=LAST_NIGHT) == NightRecord(
        LAST_NIGHT, notes="as it was"
    )


def test_a_future_night_is_refused_with_a_clear_message(patient_client):
    for path in ["/log/2026-11-28/", "/log/2027-01-01/"]:
        response = patient_client.get(path)
        assert response.status_code == 400
        assert "has not happened yet" in response.content.decode()
        assert patient_client.post(path, _log(_cramp(0))).status_code == 400
        assert patient_client.post(path + "no-cramps/").status_code == 400
    assert not Night.objects.exists()


def test_too_many_cramps_are_refused(patient_client):
    data = _log(*[_cramp(i) for i in range(21)])
    response = patient_client.post("/log/", data)
    assert response.status_code == 200
    assert not Night.objects.exists()


# One tap, undo, delete


def test_no_cramps_saves_in_one_tap_and_can_be_undone(patient_client, patient):
    response = patient_client.post("/log/2026-11-27/no-cramps/")
    assert response.url == "/log/2026-11-27/saved/"
    assert night_record(patient=patient, night=LAST_NIGHT) == NightRecord(LAST_NIGHT)
    page = patient_client.get(response.url)
    assert page.context["can_undo"] and "No cramps" in page.content.decode()

    patient_client.post("/log/2026-11-27/undo/")
    assert night_record(patient=patient, night=LAST_NIGHT) is None
    assert patient_client.get("/log/2026-11-27/saved/").status_code == 302


def test_no_cramps_asks_before_discarding_logged_cramps(patient_client, patient):
    before = NightRecord(LAST_NIGHT, sleep_quality=2, cramps=(CALF,))
    night_save(patient=patient, record=before)
    response = patient_client.post("/log/2026-11-27/no-cramps/")
    assert response.status_code == 200
    assert "Discard the cramps?" in response.content.decode()
    assert night_record(patient=patient, night=LAST_NIGHT) == before

    patient_client.post("/log/2026-11-27/no-cramps/", {"confirm": "yes"})
    assert night_record(patient=patient, night=LAST_NIGHT) == NightRecord(
        LAST_NIGHT, sleep_quality=2
    )
    patient_client.post("/log/2026-11-27/undo/")
    assert night_record(patient=patient, night=LAST_NIGHT) == before


def test_undo_restores_an_edited_night_exactly(patient_client, patient):
    before = NightRecord(
        LAST_NIGHT, notes="first", prevention=frozenset({"fluids"}), cramps=(CALF,)
    )
    night_save(patient=patient, record=before)
    data = _log(_cramp(0, muscle="thigh_back"))
    data.update(_management(1, initial=1))
    patient_client.post("/log/", data)
    assert night_record(patient=patient, night=LAST_NIGHT) != before
    patient_client.post("/log/2026-11-27/undo/")
    assert night_record(patient=patient, night=LAST_NIGHT) == before


def test_undo_only_works_once(patient_client, patient):
    patient_client.post("/log/2026-11-27/no-cramps/")
    patient_client.post("/log/2026-11-27/undo/")
    response = patient_client.post("/log/2026-11-27/undo/", follow=True)
    assert "nothing to undo" in response.content.decode()


def test_delete_asks_first_then_makes_the_night_unlogged(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,)))
    page = patient_client.get("/log/2026-11-20/delete/")
    assert page.status_code == 200 and "Delete this night?" in page.content.decode()
    assert Night.objects.exists()
    response = patient_client.post("/log/2026-11-20/delete/")
    assert response.url == "/history/"
    assert not Night.objects.exists() and not Cramp.objects.exists()


# Who may see what


NIGHT_PAGES = [
    "/log/2026-11-20/",
    "/log/2026-11-20/saved/",
    "/log/2026-11-20/delete/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/log/", *NIGHT_PAGES])
def test_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/log/", *NIGHT_PAGES])
def test_clinicians_get_404(clinician_client, path):
    assert clinician_client.get(path).status_code == 404


def test_another_patients_night_is_never_shown_changed_or_deleted(
    patient, other_patient, other_client
):
    mine = NightRecord(date(2026, 11, 20), notes="private", cramps=(CALF,))
    night_save(patient=patient, record=mine)

    page = other_client.get("/log/2026-11-20/")
    assert "private" not in page.content.decode()
    assert page.context["existing"] is None
    other_client.post("/log/2026-11-20/delete/")
    other_client.post("/log/2026-11-20/no-cramps/", {"confirm": "yes"})
    other_client.post("/log/2026-11-20/", _log(_cramp(0, muscle="shin")))

    assert night_record(patient=patient, night=date(2026, 11, 20)) == mine
    assert night_record(patient=other_patient, night=date(2026, 11, 20)).cramps[0].muscle == "shin"


@pytest.mark.parametrize("total", ["abc", "", "-1", "99999"])
def test_a_tampered_form_count_is_refused_without_an_error_page(patient_client, total):
    data = _log(_cramp(0))
    data["cramps-TOTAL_FORMS"] = total
    for extra in ({}, {"add_cramp": "1"}):
        response = patient_client.post("/log/", {**data, **extra})
        assert response.status_code in (200, 302)
    assert Cramp.objects.count() <= 1


def test_twenty_cramps_save_and_twenty_one_are_refused_with_a_message(patient_client):
    assert patient_client.post("/log/", _log(*[_cramp(i) for i in range(20)])).status_code == 302
    assert Cramp.objects.count() == 20
    response = patient_client.post("/log/", _log(*[_cramp(i) for i in range(21)]))
    assert response.status_code == 200
    assert "20" in " ".join(response.context["cramp_formset"].non_form_errors())
    assert Cramp.objects.count() == 20


@pytest.mark.parametrize("total", ["-1", "²", "9" * 5000, "", "1e3"])
def test_a_tampered_cramp_count_is_refused_and_saves_nothing(patient_client, total):
    data = {**_log(_cramp(0)), "cramps-TOTAL_FORMS": total}
    for adding in (False, True):
        response = patient_client.post("/log/", {**data, **({"add_cramp": "1"} if adding else {})})
        assert response.status_code in (200, 400)
        assert not Night.objects.exists()


def test_an_undo_belongs_to_its_own_night(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(CALF,)))
    patient_client.post("/log/2026-11-27/no-cramps/")
    response = patient_client.post("/log/2026-11-20/undo/", follow=True)
    assert "nothing to undo" in response.content.decode()
    assert night_record(patient=patient, night=date(2026, 11, 20)).cramps == (CALF,)
    assert night_record(patient=patient, night=LAST_NIGHT) is not None


def test_an_undo_never_overwrites_a_later_change_to_the_night(patient_client, patient):
    patient_client.post("/log/2026-11-27/no-cramps/")
    imported = NightRecord(LAST_NIGHT, notes="from my old diary", cramps=(CALF,))
    night_save(patient=patient, record=imported)  # as an import in another tab would
    response = patient_client.post("/log/2026-11-27/undo/", follow=True)
    assert "nothing was undone" in response.content.decode()
    assert night_record(patient=patient, night=LAST_NIGHT) == imported


# What the page says when a save is refused


def test_a_save_with_nothing_answered_records_nothing_and_says_so(patient_client):
    response = patient_client.post("/log/", _log())
    assert response.status_code == 200
    assert "Nothing to save: tap “No cramps” or add a cramp." in response.content.decode()
    assert not Night.objects.exists()


@pytest.mark.parametrize(
    "answer",
    [
        {"night-notes": "slept badly"},
        {"night-red_flags": ["leg_swollen"]},
        {"night-symptoms": ["twitching"]},
    ],
)
def test_any_answer_saves_the_night(patient_client, answer):
    assert patient_client.post("/log/", {**_log(), **answer}).status_code == 302
    assert Night.objects.count() == 1


def test_an_edit_may_clear_a_night_to_no_cramps(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(CALF,)))
    assert patient_client.post("/log/", _log()).status_code == 302
    assert night_record(patient=patient, night=LAST_NIGHT).cramps == ()


def test_errors_are_summed_up_at_the_top_with_links_to_their_fields(patient_client):
    data = _log(_cramp(0), _cramp(1, severity=None))
    response = patient_client.post("/log/", data)
    content = response.content.decode()
    summary = content.index('id="error-summary"')
    assert summary < content.index("No cramps last night")  # above everything else
    assert '<a class="alert-link" href="#id_cramps-1-severity_0">Cramp 2: How bad was it' in content
    assert 'value="2.5"' in content  # what was typed is kept


def test_same_as_last_time_says_when_there_is_nothing_to_copy(patient_client):
    response = patient_client.get("/log/?same=1", follow=True)
    assert "There is no earlier night with cramps to copy." in response.content.decode()


@pytest.mark.parametrize(("pick", "minutes"), [("0.5", 0.5), ("1", 1), ("15", 15)])
def test_a_quick_pick_gives_the_minutes(patient_client, patient, pick, minutes):
    data = _log(_cramp(0, duration_minutes=None, duration_pick=pick))
    assert patient_client.post("/log/", data).status_code == 302
    assert night_record(patient=patient, night=LAST_NIGHT).cramps[0].duration_minutes == minutes


def test_typed_minutes_win_over_a_pick_and_one_of_them_is_needed(patient_client, patient):
    data = _log(_cramp(0, duration_minutes="3", duration_pick="10"))
    assert patient_client.post("/log/", data).status_code == 302
    assert night_record(patient=patient, night=LAST_NIGHT).cramps[0].duration_minutes == 3
    response = patient_client.post("/log/2026-11-26/", _log(_cramp(0, duration_minutes=None)))
    assert "How many minutes did it last?" in response.content.decode()


def test_after_a_save_the_focus_goes_to_the_saved_heading(patient_client):
    response = patient_client.post("/log/", _log(_cramp(0)), follow=True)
    assert '<h1 tabindex="-1" autofocus>Saved' in response.content.decode()
