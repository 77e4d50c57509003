"""The checks of bench/two_servers.sh: two app servers, one database, one cache, behave as one.

    python bench/two_servers.py http://127.0.0.1:8081 http://127.0.0.1:8082 PASSWORD

Server A and server B are two gunicorn instances on the same PostgreSQL and Redis, seeded by
bench/seed.py. A browser behind a load balancer may reach either for any request, so:

1. the patient signs in on A, and B knows the session (sessions are in the database);
2. the patient saves last night through A (three cramps, one that would not stop), and through
   B sees the night, its new urgent prompt, and a trends chart drawn afresh;
3. the clinician's dashboard, on B, shows the patient first, urgent, with the new night;
4. wrong passwords for the patient, sent in turns to A and B from one address, lock that
   account-and-address pair after 10 (django-axes keeps the count in the database): the 10th
   and the right password after it answer 429.

Standard library only (urllib). Prints each check; exits 1 if any failed.
"""

import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy

PATIENT = "bench@example.org"
CLINICIAN = "bench.dr@example.org"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NIGHT = re.compile(r'action="/log/(\d{4}-\d{2}-\d{2})/no-cramps/"')
FIRST_SVG = re.compile(r"<svg .*?</svg>", re.S)
URGENT = "prompt-urgent"  # the class of the prompt box of an urgent prompt (prompt_box.html)
failures = []


class LoopbackCookies(DefaultCookiePolicy):
    """Keeps the app's Secure cookies as plain ones, to send them back over plain HTTP on
    127.0.0.1: the servers run with the production settings, behind no TLS proxy."""

    def set_ok(self, cookie, request):
        cookie.secure = False
        return super().set_ok(cookie, request)


class Browser:
    """One browser: its own cookies, sent to whichever server a request goes to (cookies are
    kept per host, not per port, as a load balancer's single address would have them)."""

    def __init__(self):
        self.cookies = CookieJar(LoopbackCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, final URL, body); redirects followed, errors answered, not raised."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    def sign_in(self, server: str, email: str, password: str) -> tuple[int, str, str]:
        _status, _url, page = self.request(f"{server}/accounts/login/")
        token = CSRF.search(page)[1]
        return self.request(
            f"{server}/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": email, "password": password},
        )

    def signed_in(self) -> bool:
        return any(cookie.name == "sessionid" for cookie in self.cookies)


def check(what: str, ok: bool, detail: str = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {what}{f' ({detail})' if detail and not ok else ''}")
    if not ok:
        failures.append(what)


def _frequency_chart(page: str) -> str:
    found = FIRST_SVG.search(page)
    return found[0] if found else ""


def _dashboard_rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


def main(a: str, b: str, password: str) -> int:
    patient, clinician, stranger = Browser(), Browser(), Browser()

    status, url, _page = patient.sign_in(a, PATIENT, password)
    check("the patient signs in on A", status == 200 and patient.signed_in(), f"{status} {url}")
    status, url, home = patient.request(f"{b}/")
    check("B knows the session A made", status == 200 and "/accounts/login/" not in url, url)

    status, _url, clinician_page = clinician.sign_in(b, CLINICIAN, password)
    check("the clinician signs in on B", status == 200 and "/clinic/" in _url, _url)
    before_rows = _dashboard_rows(clinician_page)

    _status, _url, trends_before = patient.request(f"{b}/trends/")
    chart_before = _frequency_chart(trends_before)
    had_urgent = URGENT in home

    _status, _url, log = patient.request(f"{a}/log/")
    night = NIGHT.search(log)[1]
    cramp = {"muscle": "calf", "side": "left", "duration_minutes": "25", "relief": "none"}
    form = {
        "csrfmiddlewaretoken": CSRF.search(log)[1],
        "cramps-TOTAL_FORMS": "3",
        "cramps-INITIAL_FORMS": "0",
        "cramps-MIN_NUM_FORMS": "0",
        "cramps-MAX_NUM_FORMS": "20",
        "night-red_flags": ["cramp_wont_stop"],
    }
    for number, severity in enumerate((9, 8, 7)):
        form |= {f"cramps-{number}-{key}": value for key, value in cramp.items()}
        form[f"cramps-{number}-severity"] = str(severity)
    status, url, _page = patient.request(f"{a}/log/{night}/", form)
    check("the patient saves last night through A", status == 200 and "/saved/" in url, url)

    _status, _url, page = patient.request(f"{b}/log/{night}/")
    check(
        "B shows the saved night (3 cramps)",
        'name="cramps-TOTAL_FORMS" value="3"' in page and "Already logged" in page,
    )
    _status, _url, home_after = patient.request(f"{b}/")
    check(
        "B shows the new urgent prompt",
        not had_urgent and URGENT in home_after and "Seek immediate medical care" in home_after,
        "there was one before" if had_urgent else "none after",
    )
    _status, _url, trends_after = patient.request(f"{b}/trends/")
    chart_after = _frequency_chart(trends_after)
    check(
        "B draws the trends chart afresh",
        bool(chart_after) and chart_after != chart_before,
        "the same chart as before the save",
    )

    _status, _url, dashboard = clinician.request(f"{b}/clinic/")
    rows = _dashboard_rows(dashboard)
    first = rows[0] if rows else ""
    check(
        "B's dashboard shows the patient first, urgent, with the new night",
        "Bea Bench" in first and "Urgent" in first and "Urgent" not in "".join(before_rows[:1]),
        first[:300],
    )

    statuses = []
    for attempt in range(10):
        server = (a, b)[attempt % 2]
        status, _url, page = stranger.sign_in(server, PATIENT, f"wrong-{attempt}")
        statuses.append(status)
    check(
        "9 wrong passwords over A and B are refused, the 10th locks the pair out (429)",
        statuses[:9] == [200] * 9 and statuses[9] == 429,
        str(statuses),
    )
    status, _url, page = stranger.sign_in(a, PATIENT, password)
    check(
        "then even the right password is locked out, on A",
        status == 429 and "Too many tries" in page and not stranger.signed_in(),
        str(status),
    )
    status, _url, page = stranger.sign_in(b, PATIENT, password)
    check("and on B", status == 429 and not stranger.signed_in(), str(status))

    print(f"{len(failures)} check(s) failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
