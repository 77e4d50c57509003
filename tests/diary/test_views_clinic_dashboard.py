"""The clinician's dashboard at clinic scale: pages by key, finding a patient by name or record
number, and "new since my last review" bounded (diary.services.clinic)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from accounts.models import CareLink, LinkStatus, Role, User
from accounts.sharing import care_link_create
from diary.domain.records import NightRecord
from diary.models import Night
from diary.services.clinic import dashboard_links
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _patients(clinician, count, *, name="Person", record=""):
    """`count` patients sharing with `clinician`, named "<name> 000"... (and with record
    numbers "<record>0000"... when `record` is given), in bulk."""
    patients = User.objects.bulk_create(
        User(
            email=f"{name.lower()}{number}@example.org",
            full_name=f"{name} {number:03d}",
            email_verified_at=MORNING,
        )
        for number in range(count)
    )
    CareLink.objects.bulk_create(
        CareLink(
            patient=patient,
            clinician=clinician,
            asked_by="patient",
            status="active",
            record_number=f"{record}{number:04d}" if record else "",
        )
        for number, patient in enumerate(patients)
    )
    return patients


def _page(client, query=""):
    response = client.get(f"/clinic/{query}")
    assert response.status_code == 200
    return response.context["page"]


def _names(page):
    return [row.patient.full_name for row in page.rows]


def test_next_and_previous_walk_every_patient_once_in_the_dashboards_order(
    clinician_client, clinician
):
    _patients(clinician, 120)
    order = list(dashboard_links(clinician=clinician).values_list("patient__full_name", flat=True))
    pages = [_page(clinician_client)]
    while pages[-1].after:
        pages.append(_page(clinician_client, f"?after={pages[-1].after}"))
    assert [len(page.rows) for page in pages] == [50, 50, 20]
    assert [name for page in pages for name in _names(page)] == order
    assert [page.count for page in pages] == [120, 120, 120]
    assert not pages[0].before and pages[1].before and pages[2].before
    back = [_page(clinician_client, f"?before={pages[2].before}")]
    back.append(_page(clinician_client, f"?before={back[0].before}"))
    assert [_names(page) for page in back] == [_names(pages[1]), _names(pages[0])]
    assert not back[1].before and back[1].after == pages[0].after
    content = clinician_client.get(f"/clinic/?after={pages[0].after}").content.decode()
    assert f'href="?after={pages[1].after}" rel="next"' in content
    assert f'href="?before={pages[1].before}" rel="prev"' in content


def test_the_links_to_other_pages_keep_the_search_and_name_a_patient_not_an_offset(
    clinician_client, clinician
):
    _patients(clinician, 60, name="Smith")
    _patients(clinician, 5, name="Jones")
    first = _page(clinician_client, "?name=smi")
    content = clinician_client.get("/clinic/?name=smi").content.decode()
    assert first.count == 60 and "60 patients found" in content
    assert f'href="?name=smi&amp;after={first.after}"' in content
    second = _page(clinician_client, f"?name=smi&after={first.after}")
    assert len(second.rows) == 10 and all("Smith" in name for name in _names(second))
    content = clinician_client.get(f"/clinic/?name=smi&after={first.after}").content.decode()
    assert f'href="?name=smi&amp;before={second.before}"' in content and "?page=" not in content


def test_a_page_follows_its_patient_when_the_list_changes_before_it(clinician_client, clinician):
    patients = _patients(clinician, 60)
    first = _page(clinician_client)
    # A patient of the first page leaves: the next page still starts after the same patient.
    CareLink.objects.filter(patient=patients[0]).update(status=LinkStatus.REVOKED)
    second = _page(clinician_client, f"?after={first.after}")
    assert _names(second) == [f"Person {number:03d}" for number in range(50, 60)]


@pytest.mark.parametrize(
    "query",
    [
        "?after=not-a-patient",
        "?after=%00",
        "?after=a%00b",
        "?before=%ED%A0%80",
        "?after=" + "x" * 5000,
        "?after=%27%20OR%201%3D1--",
        "?after=Zm9v%0A",
        "?before=../../etc",
        "?after=&before=",
        "?after[]=1",
        "?page=50",
        "?page=-1&after=%F0%9F%98%80",
    ],
)
def test_a_garbage_page_address_gives_the_first_page(clinician_client, clinician, query):
    _patients(clinician, 55)
    first = _names(_page(clinician_client))
    page = _page(clinician_client, query)
    assert _names(page) == first and not page.before and page.after


def test_another_clinicians_patient_or_one_outside_the_search_gives_the_first_page(
    clinician_client, clinician
):
    _patients(clinician, 55)
    other = User.objects.create_user(
        email="dr.other@example.org", full_name="Dr Other", role=Role.CLINICIAN
    )
    (theirs,) = _patients(other, 1, name="Theirs")
    first = _names(_page(clinician_client))
    for query in (f"?after={theirs.public_id}", f"?before={theirs.public_id}"):
        assert _names(_page(clinician_client, query)) == first
    jones = _patients(clinician, 3, name="Jones")
    found = _page(clinician_client, f"?name=jones&after={jones[2].public_id}")  # the last
    assert _names(found) == ["Jones 000", "Jones 001", "Jones 002"]  # not an empty page


def test_the_search_finds_a_patient_by_record_number_or_name_in_any_case(
    clinician_client, clinician
):
    alma, bea, cleo = _patients(clinician, 3)
    CareLink.objects.filter(patient=alma).update(record_number="MRN-4471")
    CareLink.objects.filter(patient=bea).update(record_number="HX-9")
    assert _names(_page(clinician_client, "?name=mrn-44")) == ["Person 000"]
    assert _names(_page(clinician_client, "?name=hx")) == ["Person 001"]
    assert _names(_page(clinician_client, "?name=person+002")) == ["Person 002"]
    assert _names(_page(clinician_client, "?name=0")) == ["Person 000", "Person 001", "Person 002"]
    assert _page(clinician_client, "?name=%25").rows == []  # a wildcard is a plain character
    nobody = clinician_client.get("/clinic/?name=zz").content.decode()
    assert "No patient of yours has that name or record number." in nobody


def test_the_search_field_says_it_finds_by_name_or_record_number_in_spanish_too(
    clinician_client, clinician
):
    content = clinician_client.get("/clinic/").content.decode()
    assert "Find a patient by name or record number" in content
    assert 'placeholder="Name or record number"' in content
    clinician.language = "es"
    clinician.save()
    content = clinician_client.get("/clinic/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Buscar un paciente por nombre o número de historia" in content
    assert 'placeholder="Nombre o n.º de historia"' in content  # fits a phone's field


def test_new_since_my_last_review_says_99_plus_past_99_nights(clinician, clinician_client, patient):
    care_link_create(patient=patient, clinician=clinician)
    first = date(2026, 7, 1)
    Night.objects.bulk_create(
        Night(patient=patient, date=first + timedelta(days=offset)) for offset in range(120)
    )
    (row,) = _page(clinician_client).rows
    assert row.new_nights == 100 and row.more_new_nights and row.new_nights_shown == 99
    content = clinician_client.get("/clinic/").content.decode()
    assert "99+ nights" in content and "120 nights" not in content
    CareLink.objects.filter(patient=patient).update(last_reviewed_at=MORNING)
    Night.objects.filter(patient=patient, date=first).update(
        updated_at=MORNING + timedelta(minutes=5)
    )
    (row,) = _page(clinician_client).rows
    assert (row.new_nights, row.more_new_nights) == (1, False)
    assert ">1 night<" in clinician_client.get("/clinic/").content.decode()


def test_99_nights_are_counted_exactly(clinician, clinician_client, patient):
    care_link_create(patient=patient, clinician=clinician)
    for offset in range(2):
        night_save(patient=patient, record=NightRecord(date(2026, 11, 27) - timedelta(offset)))
    Night.objects.bulk_create(
        Night(patient=patient, date=date(2026, 1, 1) + timedelta(days=offset))
        for offset in range(97)
    )
    (row,) = _page(clinician_client).rows
    assert (row.new_nights, row.more_new_nights) == (99, False)
    assert ">99 nights<" in clinician_client.get("/clinic/").content.decode()


def _plan(queryset, *, settings=()) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(setting)
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgresql  # reads PostgreSQL's plan
def test_the_search_reads_the_trigram_indexes_of_names_and_record_numbers(clinician):
    # Enough patients (the clinician's, and a colleague's), with record numbers, for the
    # planner to prefer finding a few by trigram to reading every link; the indexes and
    # statistics as autovacuum would leave them (new entries of a GIN index wait in a list of
    # their own, which the planner rightly counts as slow to read, until a vacuum).
    patients = _patients(clinician, 4000, record="MRN-")
    colleague = User.objects.create_user(
        email="dr.colleague@example.org", full_name="Dr Colleague", role=Role.CLINICIAN
    )
    _patients(colleague, 1000, name="Other", record="HX-")
    with connection.cursor() as cursor:
        for index in ("user_full_name_trigrams", "link_record_number_trigrams"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE accounts_carelink")
    links = dashboard_links(clinician=clinician, search="person 3456")
    plan = _plan(links[:50], settings=["SET LOCAL enable_seqscan = off"])
    assert "Bitmap Index Scan on user_full_name_trigrams" in plan, plan
    assert "Bitmap Index Scan on link_record_number_trigrams" in plan, plan
    assert [link.patient for link in links] == [patients[3456]]
    found = dashboard_links(clinician=clinician, search="mrn-0007")
    assert [link.patient for link in found] == [patients[7]]


@pytest.mark.postgresql
def test_new_nights_are_counted_on_the_index_of_changes_and_stop_at_100(clinician, patient):
    from diary.services.clinic import _new_nights

    care_link_create(patient=patient, clinician=clinician)
    counted = CareLink.objects.filter(clinician=clinician).annotate(new=_new_nights())
    plan = _plan(counted, settings=["SET LOCAL enable_seqscan = off"])
    assert re.search(r"(Index|Index Only|Bitmap Index) Scan on night_patient_changed", plan) or (
        re.search(r"Index (Only )?Scan using night_patient_changed", plan)
    ), plan
    assert "Limit" in plan, plan
