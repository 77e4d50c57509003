"""The README and docs/ say what is true on a fresh clone: the commands they name exist, the
environment file they show loads under `sh`, every cron line loads it, every file they name is
in the repository, and they name nothing outside it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

PROJECT = Path(__file__).resolve().parent.parent
DOCS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
TEXT = {path.relative_to(PROJECT).as_posix(): path.read_text() for path in DOCS}


def _named(pattern: str) -> set[tuple[str, str]]:
    return {(doc, found) for doc, text in TEXT.items() for found in re.findall(pattern, text)}


def _makefile_targets() -> set[str]:
    makefile = (PROJECT / "Makefile").read_text()
    return {
        name
        for line in re.findall(r"^([\w.-]+(?: [\w.-]+)*):", makefile, re.M)
        for name in line.split()
    }


def _block(doc: str, first_line: str) -> str:
    """The fenced code block of `doc` whose first line is `first_line`."""
    for block in re.findall(r"```\w*\n(.*?)```", TEXT[doc], re.S):
        if block.startswith(first_line):
            return block
    raise AssertionError(f"{doc} has no block starting {first_line!r}")


def test_every_make_target_the_docs_name_exists():
    targets = _makefile_targets()
    missing = sorted(pair for pair in _named(r"`make ([a-z][\w-]*)") if pair[1] not in targets)
    assert missing == []


def test_every_manage_py_command_the_docs_name_exists():
    commands = set(get_commands())
    named = _named(r"manage\.py ([a-z][a-z_]+)")
    assert len(named) > 10
    missing = sorted(pair for pair in named if pair[1] not in commands)
    assert missing == []


def test_every_file_the_docs_name_is_in_the_repository():
    roots = "accounts|bench|config|diary|docs|locale|static|templates|tests"
    named = _named(rf"`((?:{roots})/[\w./-]*)`")
    named |= _named(rf"\]\(((?:{roots})/[\w./-]+)\)")
    assert len(named) > 20
    missing = sorted(pair for pair in named if not (PROJECT / pair[1]).exists())
    assert missing == []


def test_docs_name_no_file_outside_the_repository():
    assert [doc for doc, text in TEXT.items() if "DESIGN" in text] == []


def test_every_doc_is_linked_from_the_readme():
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)\)", TEXT["README.md"]))
    assert {doc for doc in TEXT if doc.startswith("docs/")} <= linked


ENV_FILE = "# /etc/night-cramp-diary.env"


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX sh")
def test_the_environment_file_example_loads_under_sh(tmp_path):
    """cron's lines source it with `sh`; an unquoted value with spaces or <> breaks it."""
    env_file = tmp_path / "night-cramp-diary.env"
    env_file.write_text(_block("docs/deploy.md", ENV_FILE))
    assert subprocess.run(["sh", "-n", str(env_file)], capture_output=True).returncode == 0
    loaded = subprocess.run(
        ["sh", "-c", 'set -a && . "$1" && set +a && env', "sh", str(env_file)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert loaded.returncode == 0, loaded.stderr
    values = dict(line.split("=", 1) for line in loaded.stdout.splitlines() if "=" in line)
    assert values["DEFAULT_FROM_EMAIL"] == "Night Cramp Diary <diary@example.org>"
    assert values["DJANGO_ALLOWED_HOSTS"] == "diary.example.org"


def test_every_cron_line_loads_the_environment_first():
    """cron starts commands with an almost empty environment: manage.py stops without it."""
    lines = [
        (doc, line)
        for doc, text in TEXT.items()
        for block in re.findall(r"```cron\n(.*?)```", text, re.S)
        for line in block.splitlines()
        if "manage.py" in line
    ]
    assert len(lines) >= 5
    bare = [
        pair for pair in lines if "set -a && . /etc/night-cramp-diary.env && set +a" not in pair[1]
    ]
    assert bare == []


def test_the_production_steps_migrate_and_check():
    steps = _block("docs/deploy.md", "set -a && . /etc/night-cramp-diary.env && set +a")
    assert "manage.py migrate" in steps and "manage.py check --deploy" in steps
    assert steps.index("manage.py migrate") < steps.index("manage.py check --deploy")
    assert "manage.py migrate" in TEXT["README.md"]
