"""What the browser is told: the Content Security Policy as a browser parses it, and how long a
clinician stays signed in, read from the cookie the browser keeps."""

from datetime import UTC, datetime

from tests.conftest import PASSWORD

TEN_HOURS = 10 * 3600


def _policy(response) -> dict[str, list[str]]:
    """The policy's directives as a browser splits them: name -> sources."""
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_no_page_may_run_inline_or_evaluated_script(patient_client):
    policy = _policy(patient_client.get("/"))
    script = policy["script-src"]
    assert script[0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(script)
    assert all(source.startswith("'nonce-") for source in script[1:])
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]


def test_a_clinician_is_signed_out_after_ten_hours_not_days(client, clinician):
    client.post("/accounts/login/", {"username": clinician.email, "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert int(cookie["max-age"]) == TEN_HOURS
    expires = datetime.strptime(cookie["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert abs((expires - datetime.now(UTC)).total_seconds() - TEN_HOURS) < 120
