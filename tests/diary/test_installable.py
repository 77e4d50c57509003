"""The installable app's server side (issue 17): manifest, service worker, and the log page's
shell, which the worker keeps and which must hold no diary content."""

import json
from datetime import UTC, date, datetime

import pytest

from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save

CALF = CrampRecord("calf", "left", 3, 6, True, frozenset({"flex_foot"}), "some")


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))


def test_the_manifest_has_what_an_install_needs(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Night Cramp Diary" and manifest["short_name"] == "Cramp Diary"
    assert manifest["start_url"] == "/log/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/icons/")  # our own files, no CDN


def test_the_worker_is_served_from_the_root_and_keeps_only_the_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache" or "no-store" in response["Cache-Control"]
    config = json.loads(response.content.decode().split("\n", 1)[0][len("const CONFIG = ") : -1])
    assert config["shellPage"] == "/log/offline/"
    assert all(url.startswith("/static/") for url in config["staticFiles"])


def test_the_csp_lets_the_page_use_its_own_worker_and_manifest(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_the_shell_has_the_log_forms_and_no_diary_content(patient_client, patient):
    night_save(
        patient=patient,
        record=NightRecord(
            date(2026, 11, 27),
            notes="private words",
            red_flags=frozenset({"cramp_wont_stop"}),
            cramps=(CALF,),
        ),
    )
    assert "private words" in patient_client.get("/log/").content.decode()  # the live page
    content = patient_client.get("/log/offline/").content.decode()
    assert "No cramps last night" in content and 'id="log-form"' in content
    assert content.count('name="idempotency_key"') == 2
    assert "data-log-shell" in content
    assert "private words" not in content
    assert "Already logged" not in content
    assert "prompt-box" not in content  # the warning sign's prompt is not kept either


def test_the_shell_is_for_signed_in_patients_only(client, clinician_client):
    assert client.get("/log/offline/").status_code == 302
    assert clinician_client.get("/log/offline/").status_code in (403, 404)
