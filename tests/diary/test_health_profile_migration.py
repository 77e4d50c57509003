"""The health profile's move from accounts to the diary (diary 0011, accounts 0009) keeps every
answer: a profile written before the move, with every question answered, reads the same after."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from diary.models import HealthProfile

BEFORE = [("accounts", "0008_user_sessions"), ("diary", "0010_prepared_files_and_undo_records")]
AFTER = [("accounts", "0009_health_profile_to_diary"), ("diary", "0011_health_profile")]

ANSWERS = {
    "venous_disease": True,
    "peripheral_artery_disease": True,
    "pregnant": True,
    "pregnancy_date": date(2026, 12, 20),
    "kidney_disease": True,
    "date_of_birth": date(1988, 4, 17),
    "medication_diuretic": True,
    "medication_statin": True,
    "medication_beta_agonist": True,
    "medication_calcium_channel_blocker": True,
    "medication_raloxifene_or_oestrogen": True,
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_profile_answer_is_there_after_the_move():
    old = _migrate(BEFORE)
    old_user = old.get_model("accounts", "User")
    old_profile = old.get_model("accounts", "HealthProfile")
    patient = old_user.objects.create(
        email="moved@example.org", full_name="Mo Ved", role="patient", password="!"
    )
    old_profile.objects.create(patient_id=patient.pk, **ANSWERS)
    # Every answer differs from a new profile's, so a lost one cannot pass as kept.
    fresh = old_profile(patient_id=patient.pk)
    assert all(getattr(fresh, name) != value for name, value in ANSWERS.items())

    _migrate(AFTER)
    # Then on to the latest migrations (the model as it is now), which later tests expect too.
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    moved = HealthProfile.objects.get(patient_id=patient.pk)
    assert {name: getattr(moved, name) for name in ANSWERS} == ANSWERS
    assert moved.medications == {
        "diuretic",
        "statin",
        "beta_agonist",
        "calcium_channel_blocker",
        "raloxifene_or_oestrogen",
    }
    assert moved.heart_failure is False  # asked since rules v3: not answered before
    assert HealthProfile.objects.count() == 1
