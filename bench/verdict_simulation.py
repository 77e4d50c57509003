"""How often the treatment verdict says "fewer cramps", measured on simulated diaries.

Each diary has 112 nights: the 56 before a treatment's start and the 56 after (weeks 1-4 and
5-8). Cramps a night are Poisson, or clustered (negative binomial with k = 2: a gamma-mixed
Poisson, nights independent), at 1, 2, 3, 5 or 7 cramps a week; every night is logged, or each
night with chance 0.6. The treatment does nothing, or cuts the cramps by 30%, 50% or 75% from its
start; "after a spell" is a treatment that does nothing started right after 28 nights at twice
the usual rate; "clustered weeks" (the stated limit, not a target) draws a rate for each week
(gamma, shape 4, about the usual rate) with a treatment that does nothing. Each after-window's
verdict counts on its own, through the very functions the pages use (diary.domain.verdicts).

    .venv/bin/python bench/verdict_simulation.py [--diaries 4000] [--seed 2026]

prints, per cell, the share called "fewer cramps" in weeks 1-4 and in weeks 5-8 (docs/treatments.md
holds the table; tests/diary/test_verdict_simulation.py runs a smaller version).
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from diary.domain.verdicts import FEWER_CRAMPS, baseline, compare  # noqa: E402

RATES = (1, 2, 3, 5, 7)  # cramps a week
MODELS = ("poisson", "clustered")
LOGGING = (1.0, 0.6)
# scenario: (multiplier of the rate after the start, of the 28 nights just before it)
SCENARIOS = {
    "no effect": (1.0, 1.0),
    "30% cut": (0.7, 1.0),
    "50% cut": (0.5, 1.0),
    "75% cut": (0.25, 1.0),
    "after a spell": (1.0, 2.0),
    "clustered weeks": (1.0, 1.0),
}
K = 2  # negative binomial's k: the variance of a night is m + m^2 / k
WEEK_SHAPE = 4  # "clustered weeks": each week's rate is the usual rate times gamma(4, 1/4)
NIGHTS = 112


@dataclass(frozen=True)
class Cell:
    scenario: str
    model: str
    logged: float
    rate: int


def nightly_means(cell: Cell, diaries: int, rng) -> np.ndarray:
    """The expected cramps of every night of every diary: diaries x 112 nights."""
    after, spell = SCENARIOS[cell.scenario]
    mean = np.full((diaries, NIGHTS), cell.rate / 7)
    mean[:, 28:56] *= spell
    mean[:, 56:] *= after
    if cell.scenario == "clustered weeks":
        weeks = rng.gamma(WEEK_SHAPE, 1 / WEEK_SHAPE, size=(diaries, NIGHTS // 7))
        mean *= np.repeat(weeks, 7, axis=1)
    return mean


def draw(cell: Cell, diaries: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Cramps a night and whether the night was logged, diaries x 112 nights."""
    mean = nightly_means(cell, diaries, rng)
    if cell.model == "clustered":
        mean = rng.gamma(K, mean / K)
    counts = rng.poisson(mean)
    logged = rng.random((diaries, NIGHTS)) < cell.logged
    return counts, logged


def fewer_shares(cell: Cell, diaries: int, rng) -> tuple[float, float]:
    """The share of diaries called "fewer cramps" in weeks 1-4 and in weeks 5-8."""
    counts, logged = draw(cell, diaries, rng)
    fewer = [0, 0]
    for row, kept in zip(counts.tolist(), logged.tolist(), strict=True):
        nights = [count if keep else None for count, keep in zip(row, kept, strict=True)]

        def logged_in(first, last, nights=nights):
            return [count for count in nights[first:last] if count is not None]

        before, _after_spell = baseline(logged_in(0, 28), logged_in(28, 56))
        for block, (first, last) in enumerate(((56, 84), (84, 112))):
            fewer[block] += compare(before, logged_in(first, last)).verdict == FEWER_CRAMPS
    return fewer[0] / diaries, fewer[1] / diaries


def cells(scenarios=tuple(SCENARIOS)) -> list[Cell]:
    return [
        Cell(scenario, model, logged, rate)
        for scenario in scenarios
        for model in MODELS
        for logged in LOGGING
        for rate in RATES
    ]


def simulate(diaries: int, seed: int, scenarios=tuple(SCENARIOS)) -> dict[Cell, tuple]:
    """Every cell's shares, each cell from its own stream of the seed (so that a smaller run
    of some cells draws the same diaries as the full run's first ones)."""
    results = {}
    for index, cell in enumerate(cells(scenarios)):
        rng = np.random.default_rng([seed, index])
        results[cell] = fewer_shares(cell, diaries, rng)
    return results


def table(results: dict[Cell, tuple]) -> str:
    """A Markdown table: one row per scenario, model and logging; a column per rate."""
    header = "| treatment | cramps a night | nights logged | " + " | ".join(
        f"{rate}/week" for rate in RATES
    )
    lines = [header + " |", "|---" * (3 + len(RATES)) + "|"]
    for scenario in SCENARIOS:
        for model in MODELS:
            for logged in LOGGING:
                row = [results.get(Cell(scenario, model, logged, rate)) for rate in RATES]
                if None in row:
                    continue
                shares = " | ".join(f"{round(a * 100)}% · {round(b * 100)}%" for a, b in row)
                lines.append(f"| {scenario} | {model} | {round(logged * 100)}% | {shares} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diaries", type=int, default=4000, help="diaries per cell")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    print(f"Share called 'fewer cramps', weeks 1-4 · weeks 5-8 ({options.diaries} diaries a cell)")
    print(table(simulate(options.diaries, options.seed)))


if __name__ == "__main__":
    main()
