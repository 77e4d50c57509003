"""How `make bench` judges a row (bench/outcome.py): by the median of its runs, and "noisy"
rather than failed when the machine was too busy to tell."""

from bench.outcome import judge, results_file


def test_a_row_passes_on_the_median_of_its_runs_despite_one_slow_run():
    assert judge([18.0, 19.0, 35.0], target=20) == "pass"


def test_a_row_that_misses_on_a_quiet_machine_fails():
    assert judge([24.0, 25.0, 26.0], target=20, yardstick=[1.0, 1.02, 0.99], load=0.5) == "FAIL"


def test_runs_that_straddle_the_target_far_apart_are_too_noisy_to_judge():
    assert judge([14.0, 29.0, 31.0], target=20) == "noisy"


def test_a_bare_view_that_moved_between_runs_makes_the_ratios_noisy():
    assert judge([24.0, 25.0, 26.0], target=20, yardstick=[1.0, 1.4, 1.0]) == "noisy"


def test_a_machine_with_more_work_than_cores_is_too_busy_to_judge():
    assert judge([4.2, 4.6, 5.3], target=1.5, load=2.5) == "noisy"


def test_results_stay_out_of_the_repository_unless_asked(monkeypatch):
    monkeypatch.delenv("BENCH_UPDATE", raising=False)
    assert results_file("results.json").parent.name == "night-cramp-diary-bench"
    monkeypatch.setenv("BENCH_UPDATE", "1")
    assert results_file("results.json").parent.name == "bench"
