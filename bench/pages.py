"""Page speed at the scale of issue 13, as ratios against a bare Django view in the same process.

Run with `make bench` (SQLite in memory; `DATABASE_URL=postgres://...` for a throwaway
PostgreSQL database made and dropped here, `REDIS_URL` for the Redis cache). It seeds
bench/seed.py's data (a 5-year diary; a clinician with 500 more patients of a year each), then
times each page with a warm cache and prompts current, and divides by the time of a view that
only returns "ok" through the same middleware, signed in. Ratios, not seconds, so that results
compare across machines; the query count of each page is counted on one request.

Some rows are not ratios to the bare view: the first /trends/ after an edit (its four charts
drawn, nothing cached) against matplotlib drawing four comparable figures in the same process;
the summary PDFs, in seconds; and bench/long_diary.py's rows for a 10,000-night diary (the
import's confirmation, the PDF and the FHIR export through the task worker, the sign-in page
meanwhile). Prints a table and writes results.json outside the repository (bench/outcome.py;
BENCH_UPDATE=1 writes the tracked bench/results.json).

Each page is measured in BENCH_RUNS runs (default 3) spread over the bench's minutes, and judged
by their median (bench/outcome.py): a row whose runs disagree too much to judge says "noisy"
rather than failing. Exits 1 when a row misses its target (0 with BENCH_REPORT_ONLY=1); noisy
rows are listed, with the advice to run again on a quieter machine.

BENCH_SCALE=10 measures ten times the clinic: 5,000 other patients and a 10-year diary (3,653
nights) instead of 500 and 5 years (results-scale10.json). BENCH_ROUNDS (default 30) sets the
rounds per page over all runs, BENCH_PATIENTS (default 500, or 5,000 at BENCH_SCALE=10) the
clinician's other patients, BENCH_ONLY (comma-separated parts of row names, e.g. "/log/,PDF")
the rows.
"""

import io
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

from bench import long_diary  # noqa: E402
from bench.harness import throwaway_database  # noqa: E402  (sets Django up)
from bench.outcome import judge, load_per_core, results_file  # noqa: E402
from bench.seed import SCALES, years_of_nights  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ROUNDS_PER_RUN = max(3, ROUNDS // RUNS)
# BENCH_SCALE=10: ten times the clinic (5,000 patients, a 10-year diary) beside today's scale.
SCALE = int(os.environ.get("BENCH_SCALE", "1"))
if SCALE not in SCALES:
    sys.exit(f"BENCH_SCALE is 1 or 10, not {SCALE}")
PATIENTS = int(os.environ.get("BENCH_PATIENTS", str(SCALES[SCALE]["patients"])))
YEARS = SCALES[SCALE]["years"]
COLD_ROUNDS = max(3, ROUNDS // 2)
PDF_ROUNDS = 3
RESULTS = results_file("results.json" if SCALE == 1 else f"results-scale{SCALE}.json")


def bare(request):
    return HttpResponse("ok")


BARE = "/bench-bare/"
urlpatterns = [path("bench-bare/", bare), path("", include("config.urls"))]


def _timed(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def _built(client, url) -> float:
    """Seconds the task worker takes to build the file the page asks for (the page itself
    only queues it): the build, run here in the bench's process."""
    from diary.services.prepared import prepared_file_build

    asked = client.get(url)
    assert asked.status_code == 302, (url, asked.status_code)
    file_id = asked["Location"].strip("/").split("/")[1]
    started = time.perf_counter()
    done = prepared_file_build(file_id)
    assert done.startswith("built"), done
    return time.perf_counter() - started


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def _median_seconds(client, url, rounds=ROUNDS) -> float:
    _timed(client, url)  # warm: caches filled, prompts current
    return statistics.median(_timed(client, url) for _ in range(rounds))


def _against_bare(client, url) -> tuple[float, float]:
    """Median seconds of the page and of the bare view, requested in turns by the same
    client, so that both see the same load on the machine (other processes, CPU frequency)."""
    _timed(client, url)  # warm: caches filled, prompts current
    _timed(client, BARE)
    page, bare = [], []
    for _ in range(ROUNDS_PER_RUN):
        page.append(_timed(client, url))
        bare.append(_timed(client, BARE))
        bare.append(_timed(client, BARE))
    return statistics.median(page), statistics.median(bare)


def reference_figures(report) -> dict:
    """Matplotlib alone drawing four figures like the trends page's, from the same numbers, at
    the same sizes and with as many ticks, as SVG with constrained layout: bars with a legend,
    two axes of markers and bars, stacked horizontal bars, labelled horizontal bars. What it
    leaves out is ours: fitting the legend, hatching, reference lines, element ids, the
    whole-number locator, the SVG rewritten for the page. By chart name, each a function
    returning the SVG's bytes."""
    from matplotlib.figure import Figure

    periods = report.periods
    positions = list(range(len(periods)))
    step = max(1, -(-len(positions) // 4))
    ticks, labels = positions[::step], [str(period.start) for period in periods][::step]

    def save(figure) -> bytes:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg")
        return buffer.getvalue()

    def frequency():
        figure = Figure(figsize=(4.0, 3.0), layout="constrained")
        axes = figure.add_subplot()
        axes.bar(positions, [period.cramps for period in periods], width=0.8, label="cramps")
        axes.set_title("Cramps each night", loc="left", pad=18)
        axes.set_xlabel("night")
        axes.set_ylabel("cramps that night")
        axes.set_xticks(ticks, labels)
        axes.grid(axis="y")
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1))
        return save(figure)

    def severity():
        figure = Figure(figsize=(4.0, 4.2), layout="constrained")
        top, bottom = figure.subplots(2, 1, sharex=True)
        cramps = [i for i, period in enumerate(periods) if period.cramps]
        top.plot(cramps, [periods[i].severity_worst for i in cramps], "^", label="worst")
        top.plot(cramps, [periods[i].severity_mean for i in cramps], "o", label="average")
        top.set_yticks([0, 5, 10])
        top.set_ylabel("severity (0-10)")
        top.grid(axis="y")
        top.set_title("How bad, and how long", loc="left", pad=18)
        top.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=2)
        bottom.bar(positions, [period.duration_total for period in periods], width=0.8)
        bottom.set_ylabel("minutes of cramps")
        bottom.set_xlabel("night")
        bottom.set_xticks(ticks, labels)
        bottom.grid(axis="y")
        return save(figure)

    def muscles():
        pairs = report.stats.by_muscle_side
        names = list(dict.fromkeys(muscle for muscle, _side in pairs))
        figure = Figure(figsize=(4.0, 1.5 + 0.34 * max(len(names), 1)), layout="constrained")
        axes = figure.add_subplot()
        left = [0] * len(names)
        for side in ("left", "right", "both"):
            counts = [pairs.get((muscle, side), 0) for muscle in names]
            axes.barh(range(len(names)), counts, left=left, height=0.7, label=side)
            left = [a + b for a, b in zip(left, counts, strict=True)]
        axes.set_yticks(range(len(names)), names)
        axes.set_xlabel("cramps")
        axes.grid(axis="x")
        axes.set_title("Muscles", loc="left", pad=18)
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=3)
        return save(figure)

    def remedies():
        tried = [effect for effect in report.remedies.effects if effect.tries]
        figure = Figure(figsize=(4.0, 1.15 + 0.5 * max(len(tried), 1)), layout="constrained")
        axes = figure.add_subplot()
        for row, effect in enumerate(tried):
            axes.annotate(effect.remedy, (0, row - 0.08), va="bottom", annotation_clip=False)
            axes.barh([row + 0.2], [100], height=0.42)
            axes.barh([row + 0.2], [(effect.share or 0) * 100], height=0.42)
            axes.annotate(str(effect.tries), (100, row - 0.08), ha="right", annotation_clip=False)
        axes.set_ylim(max(len(tried), 1) - 0.5, -0.5)
        axes.set_yticks([])
        axes.set_xlim(0, 100)
        axes.set_xticks([0, 25, 50, 75, 100])
        axes.set_xlabel("% of tries with some or full relief")
        axes.set_title("What helped", loc="left")
        return save(figure)

    return {"frequency": frequency, "severity": severity, "muscles": muscles, "remedies": remedies}


def matplotlib_reference(report) -> tuple[float, float]:
    """Seconds for matplotlib alone to draw the four reference figures (reference_figures):
    wall-clock and this process's CPU."""
    figures = reference_figures(report)
    wall, cpu = time.perf_counter(), time.process_time()
    for draw in figures.values():
        draw()
    return time.perf_counter() - wall, time.process_time() - cpu


def _edit(patient, latest, round_: int) -> None:
    """A change to one of the last 28 nights (so a new diary version) that changes all four
    charts of the default range, and never back to an earlier state (charts are cached by
    what they show): one more cramp, in the foot, eased by massage."""
    from diary.domain.records import CrampRecord, NightRecord
    from diary.services.nights import night_record, night_save

    night = latest - timedelta(days=round_ % 28)
    record = night_record(patient=patient, night=night) or NightRecord(night)
    extra = CrampRecord("foot", "right", 2, 4, False, frozenset({"massage"}), "some")
    night_save(patient=patient, record=replace(record, cramps=(*record.cramps, extra)))


def _cold_trends(as_patient, patient, latest) -> dict:
    """The first /trends/ after an edit against matplotlib's reference drawing, taken in turns
    (each first half the time), in seconds of wall-clock and of this process's CPU; and the
    charts drawn per request (counted, to be sure the row measures what it says: 4).

    The row's ratio is of CPU seconds: drawing is all CPU in this process (the page's ten
    queries take a few milliseconds of its 400-odd), and on a shared machine the wall-clock of
    half-second operations swings by a third with what else runs; both are recorded."""
    from diary.services import reports
    from diary.web.ranges import range_form

    _timed(as_patient, "/trends/")
    form = range_form(type("Request", (), {"GET": {}})(), patient)
    first, last = form.nights()
    report = reports.report_for(patient=patient, first=first, last=last)
    matplotlib_reference(report)  # warm: fonts and caches of matplotlib's own
    page, reference, drawn, drawing = [], [], [], []
    draw = reports._draw

    def counted(*args):
        drawn.append(args[1])
        started = time.process_time()
        try:
            return draw(*args)
        finally:
            drawing.append(time.process_time() - started)

    reports._draw = counted
    try:
        for round_ in range(COLD_ROUNDS * 2):
            _edit(patient, latest, round_)
            # The reference draws the same numbers as the page: after the edit.
            report = reports.report_for(patient=patient, first=first, last=last)
            if round_ % 2:
                reference.append(matplotlib_reference(report))
            wall, cpu = time.perf_counter(), time.process_time()
            response = as_patient.get("/trends/")
            page.append((time.perf_counter() - wall, time.process_time() - cpu))
            assert response.status_code == 200
            if not round_ % 2:
                reference.append(matplotlib_reference(report))
    finally:
        reports._draw = draw
    return {
        "page_wall": statistics.median(wall for wall, _cpu in page),
        "page_cpu": statistics.median(cpu for _wall, cpu in page),
        "page_cpu_least": min(cpu for _wall, cpu in page),
        "reference_wall": statistics.median(wall for wall, _cpu in reference),
        "reference_cpu": statistics.median(cpu for _wall, cpu in reference),
        "reference_cpu_least": min(cpu for _wall, cpu in reference),
        "ratios": [p[1] / r[1] for p, r in zip(page, reference, strict=True)],  # CPU, per pair
        "drawn": len(drawn) / len(page),
        "drawing_cpu": sum(drawing) / len(page),  # mean CPU seconds a request in _draw
    }


def _chosen(label: str) -> bool:
    """Whether BENCH_ONLY (comma-separated parts of row names) leaves this row in."""
    only = [part for part in os.environ.get("BENCH_ONLY", "").split(",") if part]
    return not only or any(part in label for part in only)


def _row(
    label, url, value, target, unit, queries=None, runs=None, yardstick=(), load=None, **extra
) -> dict:
    """A row of the table; `runs`: the row's figure in each run (value is their median),
    `yardstick`: the bare view's in each, when the figure is a ratio to it, and `load`: the
    machine's load per core meanwhile (bench/outcome.py; now, when not given)."""
    runs = runs or [value]
    load = load_per_core() if load is None else load
    verdict = judge(runs, target, yardstick, load)
    return {
        "page": label,
        "url": url,
        "value": round(value, 2),
        "runs": [round(run, 2) for run in runs],
        "unit": unit,
        "target": target,
        "queries": queries,
        "verdict": verdict,
        "pass": verdict == "pass",
        "load_per_core": round(load, 2),
        **extra,
    }


def _ratio_rows(pages) -> list[dict]:
    """Each page against the bare view, in RUNS runs: every page once a run, so that a slow
    minute falls on one run of several pages rather than on every run of one."""
    measured = {label: [] for label, *_rest in pages}
    loads = []
    for run in range(RUNS):
        print(f"run {run + 1} of {RUNS}", flush=True)
        for label, client, url, _target in pages:
            measured[label].append(_against_bare(client, url))
        loads.append(load_per_core())
    rows = []
    for label, client, url, target in pages:
        seconds = [page for page, _bare in measured[label]]
        bare = [bare for _page, bare in measured[label]]
        ratios = [page / bare for page, bare in measured[label]]
        rows.append(
            _row(
                label,
                url,
                statistics.median(ratios),
                target,
                "x bare",
                _queries(client, url),
                runs=ratios,
                yardstick=bare,
                load=statistics.median(loads),
                ms=statistics.median(seconds) * 1000,
                bare_ms=statistics.median(bare) * 1000,
            )
        )
        _print(rows[-1])
    return rows


def _busy_night(patient, latest):
    """The latest night with three cramps (the seeded diaries have no more on a night)."""
    from diary.services.nights import night_record

    night = latest
    while len(getattr(night_record(patient=patient, night=night), "cramps", ())) < 3:
        night -= timedelta(days=1)
    return night


DEEP_ROW = min(2450, PATIENTS // 2 + 1)  # the fiftieth page's first row, or the middle one


def _deep_page(clinician) -> str:
    """The dashboard's fiftieth page (after row 2,450), or the page after the middle row when
    there are fewer patients."""
    from diary.services.clinic import dashboard_links

    rows = dashboard_links(clinician=clinician).values_list("patient__public_id", flat=True)
    return f"/clinic/?after={rows[DEEP_ROW - 1]}"


def measure() -> dict:
    from bench.seed import seed

    started = time.perf_counter()
    seeded = seed(others=PATIENTS, bench_nights=years_of_nights(YEARS))
    seed_seconds = time.perf_counter() - started
    patient, clinician, latest = seeded.patient, seeded.clinician, seeded.last_night
    print(
        f"seeded {PATIENTS + 1} patients ({PATIENTS} x 365 nights, "
        f"1 x {years_of_nights(YEARS):,}) "
        f"in {seed_seconds:.1f} s on {connection.vendor}"
    )
    as_patient, as_clinician = Client(), Client()
    as_patient.force_login(patient)
    as_clinician.force_login(clinician)
    baseline = _median_seconds(as_patient, BARE, rounds=max(ROUNDS, 100))
    print(f"bare view: {baseline * 1000:.2f} ms (median of {max(ROUNDS, 100)}; each row below")
    print("divides by the bare view's median over the same minutes, requested in turns)")

    summary = f"/clinic/patients/{patient.public_id}/"
    # The log page's cost follows the night shown (a form row a cramp), not the diary's length
    # (tests/diary/test_history_length.py): also timed on the latest night with three cramps.
    busy = _busy_night(patient, latest)
    pages = [
        (f"/clinic/ (first page of {PATIENTS + 1:,})", as_clinician, "/clinic/", 30),
        (f"/clinic/ deep page (after row {DEEP_ROW:,})", as_clinician, _deep_page(clinician), 30),
        (f"/log/ ({YEARS} years)", as_patient, "/log/", 20),
        (f"/log/{busy}/ (a night of 3 cramps)", as_patient, f"/log/{busy}/", 20),
        ("/trends/?range=365", as_patient, "/trends/?range=365", 20),
        (f"/trends/?range=all ({YEARS} years)", as_patient, "/trends/?range=all", 20),
        ("/history/", as_patient, "/history/", 15),
        ("/", as_patient, "/", 15),
        ("/summary/", as_patient, "/summary/", 40),
        (f"/summary/?range=all ({YEARS} years)", as_patient, "/summary/?range=all", 40),
        ("clinician summary", as_clinician, summary, 40),
        (f"clinician summary ?range=all ({YEARS} years)", as_clinician, summary + "?range=all", 40),
    ]
    rows = _ratio_rows([page for page in pages if _chosen(page[0])])

    if _chosen("first /trends/ after an edit"):
        cold = _cold_trends(as_patient, patient, latest)
        rows.append(
            _row(
                "first /trends/ after an edit (4 charts drawn)",
                "/trends/",
                cold["page_cpu"] / cold["reference_cpu"],
                1.2,
                "x matplotlib",
                runs=cold["ratios"],
                ms=cold["page_wall"] * 1000,
                cpu_ms=cold["page_cpu"] * 1000,
                matplotlib_ms=cold["reference_wall"] * 1000,
                matplotlib_cpu_ms=cold["reference_cpu"] * 1000,
                wall_clock_ratio=round(cold["page_wall"] / cold["reference_wall"], 2),
                charts_drawn_per_request=cold["drawn"],
                drawing_cpu_ms=cold["drawing_cpu"] * 1000,
            )
        )
        _print(rows[-1])

    for label, url, target in [
        ("summary PDF, 90 nights", "/summary/pdf/?range=90", 1.5),
        (f"summary PDF, {YEARS} years", "/summary/pdf/?range=all", 4.0),
    ]:
        if not _chosen(label):
            continue
        first = _built(as_patient, url)
        builds = [_built(as_patient, url) for _ in range(PDF_ROUNDS)]
        seconds = statistics.median(builds)
        rows.append(
            _row(label, url, seconds, target, "s", runs=builds, first_seconds=round(first, 2))
        )
        _print(rows[-1])
    return {
        "database": connection.vendor,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "scale": SCALE,
        "patients": PATIENTS + 1,
        "bench_patient_nights": years_of_nights(YEARS),
        "rounds": ROUNDS,
        "runs": RUNS,
        "seed_seconds": round(seed_seconds, 1),
        "bare_ms": round(baseline * 1000, 3),
        "rows": rows,
    }


def _print(row) -> None:
    if row["unit"] in ("s", "ms"):
        value = f"{row['value']:.2f} {row['unit']}"
        target = f"<= {row['target']:g} {row['unit']}"
    else:
        value = f"{row['value']:.1f}x"
        target = f"<= {row['target']}x"
    queries = "" if row["queries"] is None else str(row["queries"])
    ms = f"{row['ms']:.1f} ms" if "ms" in row else ""
    runs = row.get("runs", [])
    spread = f"runs {min(runs):g}-{max(runs):g}" if len(runs) > 1 else ""
    spread += f"  load {row['load_per_core']:.1f}/core"
    print(
        f"{row['page']:46} {value:>9} {queries:>8} {target:>9}  {row['verdict']:5} {ms:>10}"
        f"  {spread}",
        flush=True,
    )


def _printed_row(*args, **extra) -> dict:
    row = _row(*args, **extra)
    _print(row)
    return row


def main() -> int:
    with throwaway_database(ROOT_URLCONF=__name__):
        print(f"{'page':46} {'result':>9} {'queries':>8} {'target':>9}")
        results = measure()
    # A 10,000-night diary in a database of its own, which the worker's process opens too.
    results["rows"] += long_diary.measure(_printed_row, _chosen)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    failed = [row["page"] for row in results["rows"] if row.get("verdict", "pass") == "FAIL"]
    noisy = [row["page"] for row in results["rows"] if row.get("verdict") == "noisy"]
    print(f"wrote {RESULTS}")
    if noisy:
        print(f"too noisy to judge: {', '.join(noisy)}")
        print("  (runs disagreeing, or the machine busier than its cores: bench/outcome.py);")
        print("  run `make bench` again when the machine is quieter")
    if failed:
        print(f"missed: {', '.join(failed)}")
    return 1 if failed and os.environ.get("BENCH_REPORT_ONLY") != "1" else 0


if __name__ == "__main__":
    sys.exit(main())
