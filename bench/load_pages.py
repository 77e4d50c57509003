"""What the load run (bench/locustfile.py) asks of the app and reads from its pages, kept free
of locust so that a test walks the same visits through the app (tests/test_bench_load.py):
the paths, by URL name; what a patient and a clinician read from a page to go on; the form a
patient's save posts; and the shape of the morning peak that bench/load.py compares with.
"""

import re

from bench import seed

PASSWORD = "bench-load-password"  # bench/load.py seeds the accounts with it


def patient_email(number: int) -> str:
    """The load run's patients, as bench/seed.py makes them: the 5-year diary, then bench0@ ..."""
    return "bench@example.org" if number == 0 else f"bench{number - 1}@example.org"


def patient_name(number: int) -> str:
    """The name a clinician looks the load run's patient `number` up by."""
    return "Bea Bench" if number == 0 else seed.patient_name(number - 1)


def clinician_email(number: int) -> str:
    """Its clinicians: Dr Bench, then bench.dr1@ ... (bench/seed.py's --clinicians)."""
    return "bench.dr@example.org" if number == 0 else f"bench.dr{number}@example.org"


PATHS = {
    "login": "/accounts/login/",
    "home": "/",
    "log": "/log/",
    "log_night": "/log/{night}/",
    "log_saved": "/log/{night}/saved/",
    "trends": "/trends/",
    "history": "/history/",
    "clinic": "/clinic/",
    "patient_summary": "/clinic/patients/{public_id}/",
    "patient_download": "/clinic/patients/{public_id}/pdf/",
    "prepared_file": "/files/{file_id}/",
    "prepared_file_download": "/files/{file_id}/download/",
}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')
LAST_NIGHT = re.compile(r'action="/log/(\d{4}-\d{2}-\d{2})/no-cramps/"')  # the log page's
PATIENT_ROW = re.compile(r'href="/clinic/patients/([\w-]+)/">([^<]+)</a>')  # the dashboard's
FILE_ID = re.compile(r"/files/([0-9a-f-]{36})/$")  # where asking for a PDF sends the asker
READY = re.compile(r'href="/files/[0-9a-f-]{36}/download/"')  # the waiting page, once ready
SIGN_IN_PAGE = "/accounts/login/"  # where a page sends a browser that is not signed in

# A patient's morning: home, the log, the save, the saved page it redirects to, then trends or
# history in turns. The clinic: 5,000 patients who all log within two hours, with
# clinicians making the other 30% of the requests.
MORNING_REQUESTS = 5
PATIENT_SHARE = 0.7
CLINIC_PATIENTS = 5000
PEAK_SECONDS = 2 * 3600


def morning_peak_rate() -> float:
    """Requests a second at the morning peak of the issue's clinic (about 5)."""
    return CLINIC_PATIENTS * MORNING_REQUESTS / PEAK_SECONDS / PATIENT_SHARE


def night_form(page: str, morning: int) -> dict:
    """A night's log form as a patient sends it, from the log page's HTML (its CSRF token and
    idempotency key): one to three calf cramps, changing with `morning`, so that each
    save is a state not seen before and the trends page draws its charts afresh."""
    keys = IDEMPOTENCY.findall(page)
    cramps = 1 + morning % 3
    form = {
        "csrfmiddlewaretoken": CSRF.search(page)[1],
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
            f"cramps-{number}-duration_minutes": str(2 + morning % 20),
            f"cramps-{number}-severity": str(1 + (3 + morning + number) % 10),
            f"cramps-{number}-remedies": "flex_foot",
            f"cramps-{number}-relief": "some",
        }
    return form
