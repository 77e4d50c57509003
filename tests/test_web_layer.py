"""The web layer stays thin (docs/architecture.md): views read and write through services, a
clinician's page about a patient goes through the one check that records it, and no view grows
past a screen. The imports themselves are checked by the contracts (`lint-imports`)."""

import ast
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

WEB = Path(__file__).resolve().parent.parent / "diary" / "web"
LONGEST_VIEW = 30  # lines, docstring and decorators' line excluded


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.FunctionDef):
            yield node


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_view_is_longer_than_a_screen():
    long = [
        f"{path.name}:{function.name} ({function.end_lineno - function.lineno + 1} lines)"
        for path in sorted((WEB / "views").glob("*.py"))
        for function in _functions(path)
        if function.end_lineno - function.lineno + 1 > LONGEST_VIEW
    ]
    assert long == []


def test_the_web_layer_runs_no_query_and_turns_no_row_into_a_record():
    """Rows become records in the services; a form's own to_record (what was typed) is fine."""
    row_to_record = re.compile(r"(?<!form)\.to_record\(")
    found = [
        f"{path.relative_to(WEB)}:{number}: {line.strip()}"
        for path in sorted(WEB.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ".objects." in line or row_to_record.search(line) or "refresh_from_db" in line
    ]
    assert found == []


def test_every_clinician_page_about_a_patient_checks_the_link_and_records_it():
    """A page with a patient's public id in its address is a clinician's: it must go through
    accounts.access.linked_patient (active link, else 404; then the access record)."""
    pages = [(route, view) for route, view in _patterns(get_resolver()) if "public_id" in route]
    assert len(pages) >= 8  # summary, downloads, note, link, assess, three of treatments
    unchecked = [route for route, view in pages if not getattr(view, "linked_patient", False)]
    assert unchecked == []
