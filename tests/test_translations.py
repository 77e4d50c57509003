"""Spanish everywhere: the catalogue holds every string the code marks, each translated, and the
pages, e-mails and PDFs speak the user's language."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
# What makemessages reads: the code and the templates (tests, benchmarks and tools are not shown).
SOURCES = ("accounts", "config", "diary", "templates", "manage.py")
MAKEMESSAGES = ["makemessages", "-l", "es", "--add-location=file"]

needs_gettext = pytest.mark.skipif(
    shutil.which("msgcmp") is None, reason="gettext is not installed (apt-get install gettext)"
)


@needs_gettext
def test_every_string_marked_for_translation_is_translated_in_spanish(tmp_path):
    """Extracts the strings afresh from a copy of the code (so the catalogue in the repository
    is not touched) and checks that the committed catalogue translates every one of them."""
    copy = tmp_path / "project"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES], cwd=copy, env=env, check=True,
        capture_output=True,
    )  # fmt: skip
    fresh = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    # msgcmp: every msgid of the fresh extraction is in the catalogue, translated, not fuzzy.
    compared = subprocess.run(
        ["msgcmp", str(CATALOGUE), str(fresh)], capture_output=True, text=True
    )
    assert compared.returncode == 0, compared.stderr[-3000:]


@needs_gettext
def test_the_catalogue_compiles_with_its_placeholders_intact(tmp_path):
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr[-3000:]


def test_the_spanish_app_name_fits_under_its_icon(client):
    """An installed app's name is cut short beyond about 12 characters."""
    manifest = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="es").json()
    assert manifest["name"] == "Diario de calambres"
    assert len(manifest["short_name"]) <= 12
