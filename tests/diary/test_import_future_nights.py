"""A diary file cannot bring nights that have not happened yet: tonight and later are refused,
beside the file field and by the command, and nothing is kept."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from diary.models import Night, PendingImport
from tests.diary.examples import EXAMPLE

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # 09:00 in London: last night is the 27th


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _with_night(night: date) -> bytes:
    diary = json.loads(json.dumps(EXAMPLE))
    diary["nights"][-1]["night"] = night.isoformat()
    return json.dumps(diary).encode()


@pytest.mark.parametrize("night", [date(2026, 11, 28), date(2026, 11, 29), date(2027, 1, 1)])
def test_the_upload_refuses_a_night_that_has_not_happened(patient_client, night):
    upload = SimpleUploadedFile("diary.json", _with_night(night), "application/json")
    response = patient_client.post("/diary/import/", {"diary_file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "the latest night you can log is last night." in page
    assert not PendingImport.objects.exists() and not Night.objects.exists()


def test_last_night_itself_is_accepted(patient_client):
    upload = SimpleUploadedFile("diary.json", _with_night(date(2026, 11, 27)), "application/json")
    response = patient_client.post("/diary/import/", {"diary_file": upload})
    assert response.status_code == 200 and PendingImport.objects.count() == 1


def test_the_command_refuses_a_night_that_has_not_happened(patient, tmp_path):
    path = tmp_path / "diary.json"
    path.write_bytes(_with_night(date(2026, 11, 28)))
    with pytest.raises(CommandError, match="the latest night you can log is last night"):
        call_command("import_diary", patient.email, str(path), stdout=StringIO())
    assert not Night.objects.exists()
