"""An import judges "last night" where the file was kept: in the time zone its profile gives,
which the import makes the account's, not in the account's zone before the import."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accounts.models import User
from diary.models import Night
from tests.diary.examples import EXAMPLE

# Noon in London: 07:00 on 28 Nov in New York, already 01:00 on 29 Nov in Auckland.
NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
AUCKLANDS_LAST_NIGHT = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _noon(clock):
    clock(NOON)


def _file_from(zone: str) -> str:
    profile = {**EXAMPLE["profile"], "time_zone": zone}
    nights = [{"night": AUCKLANDS_LAST_NIGHT.isoformat(), "cramps": []}]
    return json.dumps({**EXAMPLE, "profile": profile, "nights": nights})


def test_the_command_imports_last_night_of_a_file_kept_in_a_zone_ahead(other_patient, tmp_path):
    assert other_patient.time_zone == "America/New_York"
    path = tmp_path / "auckland.json"
    path.write_text(_file_from("Pacific/Auckland"))
    call_command("import_diary", other_patient.email, str(path), stdout=StringIO())
    assert Night.objects.get(patient=other_patient).date == AUCKLANDS_LAST_NIGHT
    assert User.objects.get(pk=other_patient.pk).time_zone == "Pacific/Auckland"


def test_the_web_import_loads_last_night_of_a_file_kept_in_a_zone_ahead(
    other_patient, other_client
):
    upload = SimpleUploadedFile("d.json", _file_from("Pacific/Auckland").encode())
    response = other_client.post("/diary/import/", {"diary_file": upload})
    assert "1 new, 0 replaced." in response.content.decode()
    other_client.post("/diary/import/confirm/")
    assert Night.objects.get(patient=other_patient).date == AUCKLANDS_LAST_NIGHT


def test_a_night_still_to_come_in_the_files_own_zone_is_refused(other_patient, tmp_path):
    path = tmp_path / "new-york.json"
    path.write_text(_file_from("America/New_York"))
    with pytest.raises(CommandError, match="night 2026-11-28, night: This night has not happened"):
        call_command("import_diary", other_patient.email, str(path))
    assert not Night.objects.exists()
