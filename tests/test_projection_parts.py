"""The projection's parts against hand-computed cases: the size-class calibration that
corrects a class the model gets wrong, the monthly contributions, and the shrinkage of
small groups toward the overall rate in "what works"."""

import numpy as np
import pytest

from planner.projection.actuals import _gamma_rate
from planner.projection.uptake import contribution_per_worker
from planner.reference import minimum_wages
from planner.scoring import calibration


def test_a_size_class_the_model_underrates_is_corrected_and_a_right_one_is_left():
    # Fixed data: a 95% check flags a well-calibrated class by chance about one time in
    # twenty (with another seed "mikro" comes out 1,03, range 1,006–1,083, and is corrected).
    rng = np.random.default_rng(0)
    n = 4000
    size = np.array(["mikro"] * n + ["menengah"] * n)
    oof = np.concatenate([rng.uniform(0.05, 0.3, n), rng.uniform(0.05, 0.3, n)])
    truth = np.concatenate([oof[:n], np.minimum(oof[n:] * 2.0, 1.0)])  # medium businesses enrol twice as often as predicted
    y = (rng.random(2 * n) < truth).astype(float)
    cal = calibration.size_calibration(size, oof, y, members=20, seed=0)
    micro, medium = cal["classes"]["mikro"], cal["classes"]["menengah"]
    assert not micro["corrected"] and micro["ratio_lo"] <= 1.0 <= micro["ratio_hi"]
    assert medium["corrected"] and medium["ratio_lo"] > 1.5
    fixed = calibration.apply(cal, size, oof)
    assert np.array_equal(fixed[:n], oof[:n])  # the right class untouched
    assert fixed[n:].mean() == pytest.approx(y[n:].mean(), rel=0.05)  # the wrong one brought to what happened
    members = calibration.member_probabilities(cal, size, fixed)
    assert members.shape == (2 * n, 20)
    assert members.mean(axis=1) == pytest.approx(fixed, abs=1e-9)  # centred on the stored probabilities
    assert members[n:].std(axis=1).mean() > 0  # and spread as the history's resamples are


def test_monthly_contributions_follow_the_programme_rules():
    # BPU: JKK 1% of the lowest declared income (Rp 1.000.000) + JKM Rp 6.800 = Rp 16.800
    assert contribution_per_worker("mikro", 1, "16") == pytest.approx(16_800)
    ump = minimum_wages()["16"]
    assert ump > 3_000_000  # Sumatera Selatan's UMP 2025 from data/
    # a small business (PU): JKK 0,54% + JHT 5,7% + JKM 0,3% of the wage
    assert contribution_per_worker("kecil", 8, "16") == pytest.approx(ump * (0.0054 + 0.057 + 0.003))
    # a medium one adds JP 3%
    assert contribution_per_worker("menengah", 30, "16") == pytest.approx(ump * (0.0054 + 0.057 + 0.003 + 0.03))


def test_small_groups_are_pulled_toward_the_overall_rate():
    # two events with 6 registrations against an overall 1 per event, prior weight 5 events:
    # (6 + 1 × 5) / (2 + 5) = 11/7; two hundred events at 3 each stay near 3
    rate, lo, hi = _gamma_rate(np.array([6.0, 600.0]), np.array([2.0, 200.0]), prior_rate=1.0, prior_weight=5.0)
    assert rate[0] == pytest.approx(11 / 7) and rate[1] == pytest.approx(605 / 205)
    assert rate[0] < 3.0 < rate[1] + 0.1  # the two-event group does not come first on its luck
    assert lo[0] < rate[0] < hi[0] and (hi[0] - lo[0]) > (hi[1] - lo[1])  # and its range is the wider
