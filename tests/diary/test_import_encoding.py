"""A diary file is read as UTF-8 once, strictly: what cannot be decoded is refused beside the
file field and changes nothing; text that cannot be stored never reaches the database."""

import json
import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from diary.models import Night, PendingImport, Treatment
from tests.diary.examples import EXAMPLE

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
NOT_UTF8 = "the file is not JSON written in UTF-8"
UNSTORABLE = "This text holds characters that cannot be stored. Please retype it."


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _example_bytes(**night_fields) -> bytes:
    """The example file with the first night's fields given as raw JSON text."""
    text = json.dumps(EXAMPLE)
    for key, raw_json in night_fields.items():
        written = f'"{key}": {json.dumps(EXAMPLE["nights"][0][key])}'
        assert text.count(written) == 1
        text = text.replace(written, f'"{key}": {raw_json}')
    return text.encode()


def _upload(client, raw: bytes):
    upload = SimpleUploadedFile("diary.json", raw, content_type="application/json")
    return client.post("/diary/import/", {"diary_file": upload})


def _error_beside_the_field(response) -> str:
    html = response.content.decode()
    shown = re.search(r'<div id="id_diary_file_error"[^>]*>(.*?)</div>', html, re.S)
    assert shown, "no error beside the file field"
    return shown.group(1)


# A surrogate written as raw UTF-8 bytes: no UTF-8 decoder accepts it.
RAW_SURROGATE = b'"\xed\xa0\x80"'


def test_raw_surrogate_bytes_in_an_ignored_field_are_refused_beside_the_field(
    patient_client, patient
):
    raw = _example_bytes(times_woken="@@").replace(b"@@", RAW_SURROGATE)
    response = _upload(patient_client, raw)
    assert response.status_code == 200
    error = _error_beside_the_field(response)
    assert "This file cannot be loaded" in error and NOT_UTF8 in error
    assert not PendingImport.objects.exists() and not Night.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(json.dumps(EXAMPLE).encode("utf-16"), id="utf-16"),
        pytest.param(json.dumps(EXAMPLE).encode("utf-32"), id="utf-32"),
        pytest.param(json.dumps(EXAMPLE).encode().replace(b"Europe", b"Europ\xe9"), id="latin-1"),
    ],
)
def test_a_file_in_another_encoding_is_refused_and_changes_nothing(patient_client, raw):
    response = _upload(patient_client, raw)
    assert response.status_code == 200
    assert NOT_UTF8 in _error_beside_the_field(response)
    assert not PendingImport.objects.exists() and not Night.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_loads(patient_client, patient):
    response = _upload(patient_client, b"\xef\xbb\xbf" + json.dumps(EXAMPLE).encode())
    assert "2 new, 0 replaced." in response.content.decode()
    patient_client.post("/diary/import/confirm/")
    assert Night.objects.filter(patient=patient).count() == 2


def test_the_command_refuses_raw_surrogate_bytes_and_writes_nothing(patient, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(_example_bytes(times_woken="@@").replace(b"@@", RAW_SURROGATE))
    with pytest.raises(CommandError, match=NOT_UTF8):
        call_command("import_diary", patient.email, str(path))
    assert not Night.objects.exists()


def test_a_lone_surrogate_escape_in_an_ignored_field_loads_and_shows(patient_client, patient):
    raw = _example_bytes(times_woken=r'"\ud800"')
    assert "2 new, 0 replaced." in _upload(patient_client, raw).content.decode()
    response = patient_client.post("/diary/import/confirm/", follow=True)
    assert response.status_code == 200
    assert Night.objects.filter(patient=patient).count() == 2
    assert patient_client.get("/history/").status_code == 200


def test_a_lone_surrogate_escape_in_a_treatments_name_is_refused_with_its_reason(
    patient_client, patient
):
    treatment = {"name": "@@", "kind": "magnesium", "start": "2026-11-01", "dose": ""}
    text = json.dumps({**EXAMPLE, "treatments": [treatment]}).replace('"@@"', r'"Mg \ud800"')
    response = _upload(patient_client, text.encode())
    assert f"treatment 1, name: {UNSTORABLE}" in _error_beside_the_field(response)
    assert not PendingImport.objects.exists() and not Treatment.objects.exists()


def test_the_command_names_a_treatments_problem_with_its_reason(patient, tmp_path):
    treatment = {"name": "Magnesium", "kind": "no such kind", "start": "2026-11-01"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**EXAMPLE, "treatments": [treatment]}))
    with pytest.raises(CommandError, match="treatment 1, kind: Please pick one of the choices"):
        call_command("import_diary", patient.email, str(path), stdout=StringIO())
    assert not Treatment.objects.exists()
    assert date(2026, 11, 20) not in set(Night.objects.values_list("date", flat=True))
