"""A treatment changed while it is removed, on PostgreSQL: both are answered, neither is a 500.

The change waits for the removal's diary lock and then finds nothing to change: it says so
and saves nothing. SQLite serialises all writes itself; these run on PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.test import Client

from diary.domain.records import TreatmentRecord
from diary.models import Treatment
from diary.services.dates import patient_today
from diary.services.treatments import treatment_save
from tests.diary.test_races import _at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
]


def test_changing_a_treatment_while_it_is_removed_answers_both_plainly(patient):
    today = patient_today(patient)
    start = today - timedelta(days=20)
    pages = []
    for _ in range(6):
        record = TreatmentRecord(name="Magnesium", kind="magnesium", start=start)
        treatment = treatment_save(patient=patient, record=record, today=today)
        changer, remover = Client(), Client()
        changer.force_login(patient)
        remover.force_login(patient)
        form = {"kind": "magnesium", "name": "Magnesium", "start": start, "dose": "300 mg"}

        def change(pk=treatment.pk, client=changer, form=form):
            pages.append(client.post(f"/treatments/{pk}/", form, follow=True))

        def remove(pk=treatment.pk, client=remover):
            pages.append(client.post(f"/treatments/{pk}/remove/", follow=True))

        assert _at_once(change, remove) == []
        assert not Treatment.objects.filter(patient=patient).exists()
    assert [page.status_code for page in pages] == [200] * 12
    said = [page.content.decode() for page in pages]
    assert all(
        "Treatment saved." in page
        or "Treatment removed." in page
        or "This treatment was removed meanwhile: nothing was changed." in page
        for page in said
    )
