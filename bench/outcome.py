"""What the benches share about their outcome: where results are written, and how a row is
judged when the machine is busy.

Results go to a file outside the repository (the system's temporary folder,
night-cramp-diary-bench/), so that a run leaves the working tree as it was; BENCH_UPDATE=1
writes the tracked file in bench/ instead, to record new figures on purpose.

A row is judged by the median of several runs spread over the bench's minutes, not by one
run: one slow minute on a shared machine then moves one run, not the verdict. When the median
misses the target and the machine was too noisy to judge, the row says "noisy" and the bench
does not fail for it: the runs disagreed by more than NOISE (some met the target), or the bare
view, the yardstick of the ratios, itself moved that much between runs, or the machine had more
work than cores (the load average per core above 1 while the row ran: other processes took
the CPU the row was timing). A row fails only when it misses its target on a quiet machine.
"""

import os
import statistics
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
NOISE = float(os.environ.get("BENCH_NOISE", "0.25"))  # spread of runs, as a share of the median


def results_file(name: str) -> Path:
    """bench/<name> with BENCH_UPDATE=1, else the same name in a folder outside the repository."""
    if os.environ.get("BENCH_UPDATE") == "1":
        return BENCH / name
    folder = Path(tempfile.gettempdir()) / "night-cramp-diary-bench"
    folder.mkdir(exist_ok=True)
    return folder / name


def spread(values: list[float]) -> float:
    """How far apart the runs were, as a share of their median (0 for a single run)."""
    middle = statistics.median(values)
    return (max(values) - min(values)) / middle if middle else 0.0


def load_per_core() -> float:
    """The machine's load average over the last minute, per core: above 1, processes waited for
    a CPU (this bench counts as one)."""
    return os.getloadavg()[0] / (os.cpu_count() or 1)


def judge(runs: list[float], target: float, yardstick=(), load: float = 0.0) -> str:
    """ "pass", "FAIL" or "noisy" for a row whose runs gave `runs` (lower is better);
    `yardstick`: what the row is divided by, per run (the bare view), whose own spread also
    says how steady the machine was; `load`: load_per_core() while the row ran."""
    if statistics.median(runs) <= target:
        return "pass"
    if min(runs) <= target and spread(runs) > NOISE:
        return "noisy"
    if yardstick and spread(list(yardstick)) > NOISE:
        return "noisy"
    if load > 1:
        return "noisy"
    return "FAIL"
