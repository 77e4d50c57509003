"""Load for bench/load.py (locust, headless): a signed-in patient's morning, a clinician's
dashboard, and the bare view, each user class run on its own.

- PatientMorning: home, the log, a save (each morning another of the last 28 nights, with one
  to three cramps, so that every save is a state not seen before), the saved page it
  redirects to, and trends, whose charts are then drawn afresh (charts are cached by what
  they show). Each user signs in as its own patient (the 5-year diary, then bench0@ ...).
- ClinicianDashboard: the first page of /clinic/ (the clinician's 500 patients).
- Bare: /bench-bare/ signed in as a patient: what the stack costs with no page at all.

Users sign in through the form once, on start ("sign in", left out of the figures). No waiting
between requests: each user sends its next request when the last one is answered, so the
figures are what two workers serve at that concurrency.
"""

import itertools
import re
from datetime import date, timedelta
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
    """Keeps the app's Secure cookies as plain ones, so that they are sent back over plain
    HTTP: the servers run as in production, behind no TLS proxy, on 127.0.0.1 only. (Each
    request copies the session's cookies into a jar with the default policy, so allowing
    Secure cookies when they are returned is not enough.)"""

    def set_ok(self, cookie, request):
        cookie.secure = False
        return super().set_ok(cookie, request)


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
        last_night = date.fromisoformat(NIGHT.search(log.text)[1])
        keys = IDEMPOTENCY.findall(log.text)
        # Each morning changes another of the last 28 nights (the trends page shows 30), with
        # one to three cramps: never a state seen before, so the charts are drawn afresh.
        self.mornings = getattr(self, "mornings", -1) + 1
        night = last_night - timedelta(days=self.mornings % 28)
        cramps = 1 + self.mornings % 3
        form = {
            "csrfmiddlewaretoken": CSRF.search(log.text)[1],
            "idempotency_key": keys[-1] if keys else "",
            "cramps-TOTAL_FORMS": str(cramps),
            "cramps-INITIAL_FORMS": "0",
            "cramps-MIN_NUM_FORMS": "0",
            "cramps-MAX_NUM_FORMS": "20",
            "night-sleep_quality": "3",
        }
        for number in range(cramps):
            form |= {
                f"cramps-{number}-muscle": "calf",
                f"cramps-{number}-side": "left",
                f"cramps-{number}-duration_minutes": str(2 + self.mornings),
                f"cramps-{number}-severity": str((3 + self.mornings + number) % 11),
                f"cramps-{number}-remedies": "flex_foot",
                f"cramps-{number}-relief": "some",
            }
        self.client.post(
            f"/log/{night.isoformat()}/",
            form,
            name="save (POST /log/<night>/, then the saved page)",
        )
        self.client.get("/trends/", name="/trends/ (after the save: charts drawn afresh)")


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
