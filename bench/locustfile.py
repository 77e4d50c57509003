"""Load for bench/load.py (locust, headless): a signed-in patient's morning, a clinician's
dashboard, and the bare view, each user class run on its own.

- PatientMorning: home, the log, a save of last night (a cramp whose severity changes each time,
  so that every save is a new version of the diary), the saved page it redirects to, and
  trends, whose four charts are then drawn afresh. Each user signs in as its own patient
  (the 5-year diary, then bench0@, bench1@ ...).
- ClinicianDashboard: the first page of /clinic/ (the clinician's 500 patients).
- Bare: /bench-bare/ signed in as a patient: what the stack costs with no page at all.

Users sign in through the form once, on start ("sign in", left out of the figures). No waiting
between requests: each user sends its next request when the last one is answered, so the
figures are what two workers serve at that concurrency.
"""

import itertools
import re
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, constant, task

PASSWORD = "bench-load-password"
BENCH_PATIENT = "bench@example.org"
BENCH_CLINICIAN = "bench.dr@example.org"
_numbers = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')
NIGHT = re.compile(r'action="/log/(\d{4}-\d{2}-\d{2})/no-cramps/"')


class LoopbackCookies(DefaultCookiePolicy):
    """Sends the app's Secure cookies over plain HTTP: the servers run as in production, behind
    no TLS proxy, on 127.0.0.1 only."""

    def return_ok_secure(self, cookie, request):
        return True


class SignedIn(HttpUser):
    abstract = True
    wait_time = constant(0)

    def email(self) -> str:
        raise NotImplementedError

    def on_start(self):
        self.address = self.email()
        self.client.cookies.set_policy(LoopbackCookies())
        page = self.client.get("/accounts/login/", name="sign in")
        self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": CSRF.search(page.text)[1],
                "username": self.address,
                "password": PASSWORD,
            },
            name="sign in",
        )
        if "sessionid" not in self.client.cookies:
            raise RuntimeError(f"{self.address} could not sign in")


class PatientMorning(SignedIn):
    def email(self) -> str:
        number = next(_numbers)
        return BENCH_PATIENT if number == 0 else f"bench{number - 1}@example.org"

    @task
    def morning(self):
        self.client.get("/", name="/ (home)")
        log = self.client.get("/log/", name="/log/")
        night = NIGHT.search(log.text)[1]
        keys = IDEMPOTENCY.findall(log.text)
        self.severity = (getattr(self, "severity", 3) + 1) % 11
        self.client.post(
            f"/log/{night}/",
            {
                "csrfmiddlewaretoken": CSRF.search(log.text)[1],
                "idempotency_key": keys[-1] if keys else "",
                "cramps-TOTAL_FORMS": "1",
                "cramps-INITIAL_FORMS": "0",
                "cramps-MIN_NUM_FORMS": "0",
                "cramps-MAX_NUM_FORMS": "20",
                "cramps-0-muscle": "calf",
                "cramps-0-side": "left",
                "cramps-0-duration_minutes": "2",
                "cramps-0-severity": str(self.severity),
                "cramps-0-remedies": "flex_foot",
                "cramps-0-relief": "some",
                "night-sleep_quality": "3",
            },
            name="save (POST /log/<night>/, then the saved page)",
        )
        self.client.get("/trends/", name="/trends/ (after the save: 4 charts drawn)")


class ClinicianDashboard(SignedIn):
    def email(self) -> str:
        return BENCH_CLINICIAN

    @task
    def dashboard(self):
        self.client.get("/clinic/", name="/clinic/ (first page of 500)")


class Bare(SignedIn):
    def email(self) -> str:
        return BENCH_PATIENT

    @task
    def bare(self):
        self.client.get("/bench-bare/", name="/bench-bare/ (bare view)")
