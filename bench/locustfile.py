"""Load for bench/load.py (locust, headless): the clinic's morning peak as a mix of patients
and clinicians, offered at a rate stepped up until the servers miss it.

- Patient (7 users in 10): mornings of home, the log, a save (the real form POST with its
  CSRF token; each morning another of the last 28 nights, with one to three cramps, so that
  every save is a state not seen before and the trends page draws its charts afresh), the
  saved page it redirects to, then trends or history in turns. Each user signs in as a
  patient of its own.
- Clinician (3 in 10): rounds of the dashboard, the summary of a patient on its first page,
  the dashboard searched by the name of one of the run's patients (the patient in front of
  the clinician, who logged this morning) and that patient's summary; every second round a
  PDF of that summary too: the request only queues it, the task worker builds it, and the
  clinician reloads the waiting page (as the page does itself) until the file is ready, then
  downloads it. Each user signs in as a clinician of its own.

Every user sends one request at a time (redirects are requests of their own), paced so that
all the users together offer the step's rate: random waits (exponential, as independent
people's requests arrive), never catching up in a burst after a slow answer. Requests go to
the app servers (BENCH_SERVERS) in turns, as a load balancer would send them: the session,
kept in the database, holds on all of them.

The steps (Steps): every user signs in through the form; then BENCH_WARMUP seconds at the first
rate, not counted; then each rate of BENCH_RATES for BENCH_STEP_SECONDS (longer at a rate too
low to offer BENCH_STEP_REQUESTS in that time, for a p95 of enough requests). After each step
its figures go to BENCH_STEPS_FILE (JSON) and the statistics start afresh. Each step has two
p95s: of all its requests, and of those that draw no chart (DRAWING: the first trends page after
a save draws four charts, and a clinician's summary draws the patient's charts when the diary
changed since they were last drawn, 0.6-1 s of CPU each on an idle machine, so that they alone
hold the p95 of all requests above 300 ms at any rate). A step passes with no error and the
second p95 under BENCH_P95_MS; the run stops after the first that does not, or after the last
rate. Each step also counts the CPU time of the app servers' workers, the task worker and
PostgreSQL (BENCH_SERVER_PIDS, BENCH_TASK_WORKER_PID, BENCH_DATABASE): what the mix costs,
whatever else the machine is doing.
"""

import contextlib
import itertools
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import HttpUser, LoadTestShape, task
from locust.stats import StatsEntry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_pages import (  # noqa: E402
    CSRF,
    FILE_ID,
    LAST_NIGHT,
    PASSWORD,
    PATHS,
    PATIENT_ROW,
    READY,
    clinician_email,
    night_form,
    patient_email,
    patient_name,
)

# Set by bench/load.py, which has the defaults.
SERVERS = os.environ["BENCH_SERVERS"].split()
USERS = int(os.environ["BENCH_USERS"])
RATES = [float(rate) for rate in os.environ["BENCH_RATES"].split()]
WARMUP = float(os.environ["BENCH_WARMUP"])
STEP_SECONDS = float(os.environ["BENCH_STEP_SECONDS"])
STEP_REQUESTS = float(os.environ["BENCH_STEP_REQUESTS"])  # at least: low rates take longer
P95_MS = float(os.environ["BENCH_P95_MS"])
STEPS_FILE = os.environ["BENCH_STEPS_FILE"]
SERVER_PIDS = [int(pid) for pid in os.environ["BENCH_SERVER_PIDS"].split()]
TASK_WORKER_PID = int(os.environ["BENCH_TASK_WORKER_PID"])
DATABASE = os.environ["BENCH_DATABASE"]
PDF_PATIENCE = 60  # seconds a clinician waits for a PDF before calling it an error


TRENDS_AFTER_SAVE = "/trends/ (after the save: 4 charts drawn)"
SUMMARY = "/clinic/patients/<id>/ (charts drawn if the diary changed)"
DRAWING = {TRENDS_AFTER_SAVE, SUMMARY}


class Pace:
    rate = RATES[0]  # requests a second, all users together: set by Steps
    signed_in = 0
    refused = 0
    patients = 0  # started: the clinicians look them up


def paced(user) -> float:
    """Seconds until this user's next request: a random wait of mean USERS / rate (so that
    requests arrive as people's do, independently, at the step's rate in all), counted from
    when the last one was due, or from now when the user is behind."""
    now = time.monotonic()
    user.due = max(getattr(user, "due", now) + user.rng.expovariate(Pace.rate / USERS), now)
    return user.due - now


class LoopbackCookies(DefaultCookiePolicy):
    """Keeps the app's Secure cookies as plain ones, so that they are sent back over plain
    HTTP: the servers run as in production, behind no TLS proxy, on 127.0.0.1 only. (Each
    request copies the session's cookies into a jar with the default policy, so allowing
    Secure cookies when they are returned is not enough.)"""

    def set_ok(self, cookie, request):
        cookie.secure = False
        return super().set_ok(cookie, request)


class Visitor(HttpUser):
    """A signed-in person whose `visits()` yields after each request, one request a task."""

    abstract = True
    host = SERVERS[0]
    wait_time = paced
    email = None  # a function of the user's number

    def on_start(self):
        number = next(self.numbers)
        self.rng = random.Random(number)
        self.servers = itertools.islice(itertools.cycle(SERVERS), number, None)
        self.client.cookies.set_policy(LoopbackCookies())
        page = self.page(PATHS["login"], "sign in")
        form = {"username": self.email(number), "password": PASSWORD}
        form["csrfmiddlewaretoken"] = CSRF.search(page.text)[1]
        self.page(PATHS["login"], "sign in", status=302, data=form)
        if "sessionid" not in self.client.cookies:
            Pace.refused += 1
            raise RuntimeError(f"{form['username']} could not sign in")
        Pace.signed_in += 1
        self.visit = self.visits()
        gevent.sleep(paced(self))  # the first request too comes at a random moment

    @task
    def next_request(self):
        try:
            next(self.visit)
        except Exception as error:  # a page without what the next request needs: counted
            self.environment.events.request.fire(
                request_type="VISIT",
                name="a visit broke off",
                response_time=0,
                response_length=0,
                exception=error,
                context={},
            )
            self.visit = self.visits()

    def page(self, path: str, name: str, status: int = 200, data=None, location=None):
        """One request to the next server; a failure unless it answers `status` (and, for a
        redirect, `location`). Redirects are not followed: each is a request of its own."""
        url = next(self.servers) + path
        send = self.client.get if data is None else self.client.post
        with send(url, data=data, name=name, allow_redirects=False, catch_response=True) as sent:
            where = sent.headers.get("Location", "")
            if sent.status_code != status:
                sent.failure(f"{sent.status_code}, not {status} {where}".strip())
            elif location is not None and where != location:
                sent.failure(f"sent to {where}, not {location}")
        return sent

    def visits(self):
        raise NotImplementedError


class Patient(Visitor):
    weight = 7
    numbers = itertools.count()
    email = staticmethod(patient_email)

    def on_start(self):
        Pace.patients += 1
        super().on_start()

    def visits(self):
        for morning in itertools.count():
            self.page(PATHS["home"], "/ (home)")
            yield
            log = self.page(PATHS["log"], "/log/")
            yield
            last_night = date.fromisoformat(LAST_NIGHT.search(log.text)[1])
            night = (last_night - timedelta(days=morning % 28)).isoformat()
            saved = PATHS["log_saved"].format(night=night)
            form = night_form(log.text, morning)
            self.page(
                PATHS["log_night"].format(night=night), "save: POST /log/<night>/", 302, form, saved
            )
            yield
            self.page(saved, "/log/<night>/saved/")
            yield
            if morning % 2 == 0:
                self.page(PATHS["trends"], TRENDS_AFTER_SAVE)
            else:
                self.page(PATHS["history"], "/history/")
            yield


class Clinician(Visitor):
    weight = 3
    numbers = itertools.count()
    email = staticmethod(clinician_email)

    def visits(self):
        for round_ in itertools.count():
            dashboard = self.page(PATHS["clinic"], "/clinic/")
            yield
            public_id, _name = self.rng.choice(PATIENT_ROW.findall(dashboard.text))
            self.page(PATHS["patient_summary"].format(public_id=public_id), SUMMARY)
            yield
            # The patient in front of the clinician, who logged this morning: looked up by name.
            name = patient_name(self.rng.randrange(Pace.patients))
            found = self.page(f"{PATHS['clinic']}?{urlencode({'name': name})}", "/clinic/?name=")
            yield
            public_id = next(id_ for id_, shown in PATIENT_ROW.findall(found.text) if shown == name)
            self.page(PATHS["patient_summary"].format(public_id=public_id), SUMMARY)
            yield
            if round_ % 2 == 1:
                yield from self.pdf(public_id)

    def pdf(self, public_id: str):
        """Asks for the summary PDF, waits for the worker to build it, downloads it."""
        path = PATHS["patient_download"].format(public_id=public_id)
        asked = self.page(path, "PDF asked: /clinic/patients/<id>/pdf/", status=302)
        yield
        file_id = FILE_ID.search(asked.headers["Location"])[1]
        since = time.monotonic()
        while not READY.search(
            self.page(PATHS["prepared_file"].format(file_id=file_id), "/files/<id>/ (waiting)").text
        ):
            yield
            if time.monotonic() - since > PDF_PATIENCE:
                raise RuntimeError(f"the PDF was not ready after {PDF_PATIENCE} s")
        yield
        with self.client.get(
            next(self.servers) + PATHS["prepared_file_download"].format(file_id=file_id),
            name="/files/<id>/download/ (the PDF)",
            catch_response=True,
        ) as download:
            if not download.content.startswith(b"%PDF"):
                download.failure("not a PDF")
        yield


class Steps(LoadTestShape):
    """Sign-in and warm-up, then the rates in turn; stops after the first step that misses."""

    def __init__(self):
        super().__init__()
        self.step = -1  # the warm-up
        self.since = None
        self.started_at = None
        self.steps = []

    def tick(self):
        now = time.monotonic()
        if Pace.refused:
            return None
        if self.step == -1:
            if Pace.signed_in < USERS:
                return USERS, USERS
            self.since = self.since or now
            if now - self.since >= WARMUP:
                self.begin(0, now)
        elif now - self.since >= max(STEP_SECONDS, STEP_REQUESTS / RATES[self.step]):
            if not self.record(now)["passed"] or self.step + 1 == len(RATES):
                return None
            self.begin(self.step + 1, now)
        return USERS, USERS

    def begin(self, step: int, now: float) -> None:
        self.step, self.since, self.started_at = step, now, time.time()
        self.cpu = _cpu_seconds()
        Pace.rate = RATES[step]
        self.runner.stats.reset_all()

    def record(self, now: float) -> dict:
        stats, seconds = self.runner.stats, now - self.since
        undrawn = StatsEntry(stats, "the requests that draw no chart", "")
        for entry in stats.entries.values():
            if entry.name not in DRAWING:
                undrawn.extend(entry)
        step = {
            "rate": RATES[self.step],
            "seconds": round(seconds, 1),
            **_figures(stats.total, seconds),
            "p95_no_drawing_ms": undrawn.get_response_time_percentile(0.95) or 0,
            **_cpu_used(self.cpu, _cpu_seconds()),
            "load": [round(load, 2) for load in os.getloadavg()],
            "started": self.started_at,
            "ended": time.time(),
            "by_request": [
                {"request": entry.name, **_figures(entry, seconds)}
                for entry in sorted(stats.entries.values(), key=lambda entry: entry.name)
            ],
            "errors": [f"{e.name}: {e.error} (x{e.occurrences})" for e in stats.errors.values()],
        }
        step["passed"] = bool(step["requests"]) and not step["failures"]
        step["passed"] = step["passed"] and step["p95_no_drawing_ms"] < P95_MS
        step["p95_of_all_met"] = step["passed"] and step["p95_ms"] < P95_MS
        self.steps.append(step)
        Path(STEPS_FILE).write_text(json.dumps(self.steps, indent=1))
        return step


def _cpu_seconds() -> dict[tuple[str, int], float]:
    """CPU time so far, by (whose, process id): the app servers' workers, the task worker, and
    PostgreSQL's processes serving the run's database (those open now: the servers keep their
    connections for a minute)."""
    import psutil

    processes = [("servers", pid) for pid in SERVER_PIDS] + [("task_worker", TASK_WORKER_PID)]
    for process in psutil.process_iter(["cmdline"]):
        if f" {DATABASE} " in " ".join(process.info["cmdline"] or ()):
            processes.append(("database", process.pid))
    used = {}
    for whose, pid in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = psutil.Process(pid).cpu_times()
            used[whose, pid] = times.user + times.system
    return used


def _cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds used between the two readings, by whose (a process that ended between them
    is left out: its time is gone with it; one that started counts whole)."""
    used = dict.fromkeys(("servers", "task_worker", "database"), 0.0)
    for (whose, pid), seconds in after.items():
        used[whose] += seconds - before.get((whose, pid), 0.0)
    return {f"{whose}_cpu_seconds": round(seconds, 1) for whose, seconds in used.items()}


def _figures(entry, seconds: float) -> dict:
    return {
        "requests": entry.num_requests,
        "per_second": round(entry.num_requests / seconds, 2),
        "failures": entry.num_failures,
        "median_ms": entry.get_response_time_percentile(0.5) or 0,
        "p95_ms": entry.get_response_time_percentile(0.95) or 0,
        "max_ms": round(entry.max_response_time or 0),
    }
