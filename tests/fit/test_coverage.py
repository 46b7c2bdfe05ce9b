"""Coverage: over many synthetic teams, the 95% intervals hold the truth about 95% of the time.

One reference table (the fit's defaults: 2,000 prior draws) serves 30 synthetic teams that differ
only in their seed (the same truth, other random numbers and other measurement noise). If the
intervals cover with probability 0.95, the number of teams covered is Binomial(30, 0.95): at
least 24 of 30 (coverage >= 0.8) with probability 0.9994, so a failure is a real sign of
miscalibration; with coverage 0.9 it still passes with probability 0.97, so the test tolerates
the mild undercoverage that ABC with a finite table is known for (Sisson et al. 2018, ch. 3) and
catches intervals that are clearly too narrow. An upper bound of 1.0 cannot fail; the interval
widths are checked instead, so that covering by being as wide as the prior cannot pass.
"""

from __future__ import annotations

import pytest

from twomountains.fit import DEFAULT_PARAMS, FIT_STATISTICS, abc, statistics
from twomountains.fit.core import DEFAULT_DRAWS, reference_table, team_scenario
from twomountains.records import synthetic
from twomountains.study import ExecutionOptions

TEAMS = 30


@pytest.mark.slow  # one 2,000-run reference table: about a minute on two cores
def test_intervals_cover_the_truth_in_at_least_80_percent_of_30_synthetic_teams():
    truth = synthetic.truth_scenario()
    base, policy = team_scenario(synthetic.synthetic_records(0))
    table = reference_table(
        base,
        DEFAULT_PARAMS,
        policy,
        DEFAULT_DRAWS,
        0,
        execution=ExecutionOptions(jobs=2, quiet=True),
    )
    covered = dict.fromkeys(DEFAULT_PARAMS, 0)
    widths = dict.fromkeys(DEFAULT_PARAMS, 0.0)
    for seed in range(1, TEAMS + 1):
        observed = statistics(synthetic.synthetic_records(seed))
        post = abc.posterior(table, observed, DEFAULT_PARAMS, FIT_STATISTICS)
        for name, e in abc.summarize(post, DEFAULT_PARAMS).items():
            covered[name] += e["low"] <= getattr(truth, name) <= e["high"]
            widths[name] += abc.prior_share(name, e["low"], e["high"]) / TEAMS
    coverage = {name: count / TEAMS for name, count in covered.items()}
    assert all(c >= 0.8 for c in coverage.values()), coverage
    assert all(w < 0.6 for w in widths.values()), widths  # informative, not the prior
