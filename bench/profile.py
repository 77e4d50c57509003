"""Profiles pages with pyinstrument on the bench's data (bench/seed.py), warm as `make bench`
times them.

    .venv/bin/pip install pyinstrument
    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=x DJANGO_ALLOWED_HOSTS=testserver \\
        DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 \\
        .venv/bin/python bench/profile.py /log/ "/trends/?range=all" [--clinician] [--cold]

Each page is requested once to warm it, then ROUNDS (default 20) times under the profiler; the
text tree goes to standard output. `--clinician` signs in as the clinician; `--cold` edits one
of the last nights before each request, so charts are drawn. BENCH_PATIENTS (default 20) sets the
clinician's other patients: the patient's own pages do not depend on it; BENCH_SCALE=10 gives
the patient a 10-year diary (bench/seed.py, SCALES).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from bench.harness import throwaway_database  # noqa: E402  (sets Django up)

ROUNDS = int(os.environ.get("ROUNDS", "20"))


def main(argv: list[str]) -> None:
    from bench.pages import _edit
    from bench.seed import SCALES, seed, years_of_nights

    urls = [arg for arg in argv if not arg.startswith("--")]
    with throwaway_database():
        years = SCALES[int(os.environ.get("BENCH_SCALE", "1"))]["years"]
        seeded = seed(
            others=int(os.environ.get("BENCH_PATIENTS", "20")), bench_nights=years_of_nights(years)
        )
        client = Client()
        client.force_login(seeded.clinician if "--clinician" in argv else seeded.patient)
        for url in urls:
            url = url.replace("<id>", seeded.patient.public_id)
            assert client.get(url).status_code == 200, url
            profiler = Profiler(interval=0.0005)
            for toggle in range(ROUNDS):
                if "--cold" in argv:
                    _edit(seeded.patient, seeded.last_night, toggle)
                profiler.start()
                client.get(url)
                profiler.stop()
            print(f"===== {url} ({ROUNDS} requests)")
            print(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main(sys.argv[1:])
