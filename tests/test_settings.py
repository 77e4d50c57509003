"""The settings refuse to guess: no environment, or a malformed value, stops manage.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_list, env_phone_number, env_url

PROJECT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    # An in-memory database: a check must not leave db.sqlite3 in the project folder.
    base = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(PROJECT),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_manage_py_without_environment_names_both_ways_out():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_DEBUG=1" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr and "DJANGO_ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_py_rejects_a_malformed_debug_flag():
    result = _manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr and "'maybe'" in result.stderr


def test_manage_py_runs_in_debug_with_no_other_setting():
    result = _manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 60 + "-a-long-random-production-key",
    "DJANGO_ALLOWED_HOSTS": "diary.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'diary.sqlite3'}"}
    assert _manage("migrate", "--no-input", **PRODUCTION, **database).returncode == 0
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **database)
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_refuses_a_database_not_migrated():
    """A deploy that forgot `migrate` is caught here, not by the first sign-in's 500."""
    result = _manage("check", "--deploy", **PRODUCTION)  # a fresh in-memory database
    assert result.returncode != 0
    assert "config.E002" in result.stderr and "manage.py migrate" in result.stderr


def test_the_deploy_check_wants_a_real_mail_server():
    production = {key: value for key, value in PRODUCTION.items() if key != "EMAIL_HOST"}
    result = _manage("check", "--deploy", **production)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_a_malformed_database_url_is_rejected():
    result = _manage("check", DJANGO_DEBUG="1", DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_env_bool_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", default=True) is True


def test_env_list_rejects_an_empty_item(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "a.example.org,,b.example.org")
    with pytest.raises(ImproperlyConfigured, match="SOME_HOSTS"):
        env_list("SOME_HOSTS")


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "a.example.org, b.example.org")
    assert env_list("SOME_HOSTS") == ["a.example.org", "b.example.org"]


def test_env_url_rejects_another_scheme(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        env_url("REDIS_URL", ("redis", "rediss"))


@pytest.mark.parametrize("raw", ["9-1-1", "1", "emergency", "1234567"])
def test_emergency_number_must_be_a_short_number(monkeypatch, raw):
    monkeypatch.setenv("EMERGENCY_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match="EMERGENCY_NUMBER"):
        env_phone_number("EMERGENCY_NUMBER", "112")


def test_emergency_number_accepts_local_numbers(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "911")
    assert env_phone_number("EMERGENCY_NUMBER", "112") == "911"


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_apps_statements_start_no_parallel_workers_on_postgresql():
    """A worker's start-up cost more than a patient's statement it served (docs/performance.md)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
