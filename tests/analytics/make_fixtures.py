#!/usr/bin/python3
"""Writes the reference values the analytics tests compare against.

Run with Debian's interpreter, which sees python3-statsmodels 0.13.5:

    /usr/bin/python3 tests/analytics/make_fixtures.py

The C tests never run Python; they read the JSON files this script writes to
tests/analytics/fixtures/. The series are synthetic (fixed seeds), so rerunning
the script rewrites identical files unless statsmodels, numpy or this script
changed. See docs/seasonality.md.
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import statsmodels
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.exponential_smoothing.initialization import (
    _initialization_heuristic,
)
from statsmodels.tsa.filters.filtertools import convolution_filter
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.seasonal import seasonal_decompose, seasonal_mean

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
M = 12
HORIZON = 24
# Forecast-error simulation: 200,000 paths estimate a standard deviation to
# about 0.16 % (1/sqrt(2R)), well inside the 1 % the test allows.
SIM_REPETITIONS = 200_000

# Planted seasonal shapes by calendar month (January first), after KPIS.md.
PATTERNS = {
    "wedding": [0.55, 0.6, 0.75, 0.9, 1.2, 1.35, 1.3, 1.25, 1.3, 1.15, 0.8, 0.85],
    "corporate": [0.95, 1.0, 1.05, 1.0, 1.0, 0.95, 0.7, 0.65, 1.25, 1.3, 1.25, 0.9],
    "holiday": [1.4, 1.25, 0.9, 0.85, 0.8, 0.8, 0.75, 0.8, 0.85, 0.9, 1.1, 1.6],
    "other": [0.8, 0.85, 0.9, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 0.95, 0.9, 1.0],
}


def series(pattern, n, first_month, base, slope, noise_sd, seed, zeros=()):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    shape = np.array(PATTERNS[pattern])
    shape = shape / shape.mean()
    cal = (first_month - 1 + t) % M
    y = (base + slope * t) * shape[cal] + rng.normal(0.0, noise_sd, n)
    y[list(zeros)] = 0.0
    if np.any(y < 0):
        raise SystemExit(f"{pattern}: negative value generated; pick another seed")
    return y


def wandering(pattern, n, first_month, base, step_sd, noise_sd, seed):
    """A level that follows a random walk, so that the best smoothing
    parameters are inside (0, 1) rather than at alpha = 0."""
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    shape = np.array(PATTERNS[pattern])
    shape = shape / shape.mean()
    cal = (first_month - 1 + t) % M
    level = base + np.cumsum(rng.normal(0.3, step_sd, n))
    y = level * shape[cal] + rng.normal(0.0, noise_sd, n)
    if np.any(y <= 0):
        raise SystemExit(f"{pattern}: non-positive value generated; pick another seed")
    return y


def nan_to_none(a):
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(a, dtype=float)]


def by_calendar(by_position, first_month):
    """Reorders 12 values indexed by position in the series (as statsmodels
    reports them) so that element 0 is January."""
    out = [None] * M
    for p in range(M):
        out[(first_month - 1 + p) % M] = float(by_position[p])
    return out


def decompose(y, first_month):
    if np.all(y > 0):
        res = seasonal_decompose(y, model="multiplicative", period=M)
        seasonal, trend, resid = res.seasonal, res.trend, res.resid
        source = "statsmodels.tsa.seasonal.seasonal_decompose"
    else:
        # seasonal_decompose refuses zeros outright. Its own building blocks
        # (the same filter, the same NaN-skipping seasonal mean, the same
        # normalisation) accept them, and give the reference for a series
        # whose 2x12 trend stays positive.
        filt = np.array([0.5] + [1.0] * (M - 1) + [0.5]) / M
        trend = convolution_filter(y, filt, 2)
        if np.any(trend[np.isfinite(trend)] <= 0):
            raise SystemExit("zero series: trend must stay positive")
        detrended = y / trend
        avg = seasonal_mean(detrended, M)
        avg = avg / np.mean(avg)
        seasonal = np.tile(avg, len(y) // M + 1)[: len(y)]
        with np.errstate(divide="ignore", invalid="ignore"):
            resid = y / seasonal / trend
        source = "statsmodels convolution_filter + seasonal_mean (seasonal_decompose refuses zeros)"
    return {
        "source": source,
        "seasonal_by_position": [float(v) for v in seasonal[:M]],
        "index_by_calendar_month": by_calendar(seasonal[:M], first_month),
        "trend": nan_to_none(trend),
        "resid": nan_to_none(resid),
    }


def month_share(y, first_month):
    cal = (first_month - 1 + np.arange(len(y))) % M
    means = pd.Series(y).groupby(cal).mean()
    idx = means / means.mean()
    return {
        "source": "pandas groupby mean by calendar month / mean of those means",
        "index_by_calendar_month": [float(idx[c]) if c in idx.index else None for c in range(M)],
    }


def hw_model(y, **kw):
    """ExponentialSmoothing on y. statsmodels refuses non-positive data when
    the model is built, although its recursions are defined for zeros while
    the states stay positive; for such series the model is built on a
    positive stand-in and the real data swapped in before fitting."""
    if np.all(y > 0):
        return ExponentialSmoothing(y, trend="add", seasonal="mul", seasonal_periods=M, **kw)
    mod = ExponentialSmoothing(
        np.where(y > 0, y, 1.0), trend="add", seasonal="mul", seasonal_periods=M, **kw
    )
    mod.endog = y.copy()
    mod._y = y.copy()
    mod._data = y.copy()
    if kw.get("initialization_method") in (None, "estimated", "heuristic"):
        lvl, trend, seas = _initialization_heuristic(y, "add", "mul", M)
        mod._initial_level, mod._initial_trend, mod._initial_seasonal = lvl, trend, seas
    return mod


def hw_known(y, alpha, beta, gamma, l0, b0, s0):
    mod = hw_model(
        y,
        initialization_method="known",
        initial_level=l0,
        initial_trend=b0,
        initial_seasonal=list(s0),
    )
    res = mod.fit(
        smoothing_level=alpha, smoothing_trend=beta, smoothing_seasonal=gamma, optimized=False
    )
    fc = res.forecast(HORIZON)
    return {
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "initial_level": float(l0),
        "initial_trend": float(b0),
        "initial_seasonal": [float(v) for v in s0],
        "fitted": [float(v) for v in res.fittedvalues],
        "sse": float(res.sse),
        "final_level": float(res.level[-1]),
        "final_trend": float(res.trend[-1]),
        # statsmodels' forecast at horizons 12 and 24 reuses a seasonal factor
        # one update older than the latest; the C tests skip those two.
        "forecast": [float(v) for v in fc],
    }


def interval_reference(y, case):
    """Simulated h-step forecast errors for ETS(A,A,M) from the end of a
    Holt-Winters run. ETSModel's simulation is statsmodels' own state-space
    implementation; it starts from the HW end states given as 'known'
    initial states and uses the same innovations for every step count."""
    n = len(y)
    alpha, beta, gamma = case["alpha"], case["beta"], case["gamma"]
    mod = hw_model(
        y,
        initialization_method="known",
        initial_level=case["initial_level"],
        initial_trend=case["initial_trend"],
        initial_seasonal=case["initial_seasonal"],
    )
    res = mod.fit(
        smoothing_level=alpha, smoothing_trend=beta, smoothing_seasonal=gamma, optimized=False
    )
    # season[j] is the factor for observation n + j
    season = list(res.season[-M:])
    level, trend = float(res.level[-1]), float(res.trend[-1])
    sigma = float(np.sqrt(res.sse / (n - 16)))
    ets = ETSModel(
        np.ones(2 * M),
        error="add",
        trend="add",
        seasonal="mul",
        seasonal_periods=M,
        initialization_method="known",
        initial_level=level,
        initial_trend=trend,
        initial_seasonal=season,
    )
    # ETS's smoothing_trend is alpha times Holt-Winters' beta.
    eres = ets.smooth([alpha, alpha * beta, gamma])
    steps = 3
    rng = np.random.RandomState(20240605)
    eps = rng.standard_normal((steps, SIM_REPETITIONS)) * sigma
    sims = np.asarray(eres.simulate(steps, anchor="start", repetitions=SIM_REPETITIONS,
                                    random_errors=eps))
    point = [(level + h * trend) * season[h - 1] for h in range(1, steps + 1)]
    return {
        "source": "statsmodels ETSModel(error=add, trend=add, seasonal=mul).simulate",
        "repetitions": SIM_REPETITIONS,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "level": level,
        "trend": trend,
        "season": [float(v) for v in season],
        "sigma": sigma,
        "point": point,
        "simulated_mean": [float(v) for v in sims.mean(axis=1)],
        "simulated_sd": [float(v) for v in sims.std(axis=1, ddof=1)],
    }


def hw_estimated(y):
    mod = hw_model(y)  # statsmodels' default: initialization_method="estimated"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = mod.fit()
    p = res.params
    return {
        "source": "ExponentialSmoothing(y, trend='add', seasonal='mul', seasonal_periods=12).fit()",
        "alpha": float(p["smoothing_level"]),
        "beta": float(p["smoothing_trend"]),
        "gamma": float(p["smoothing_seasonal"]),
        "initial_level": float(p["initial_level"]),
        "initial_trend": float(p["initial_trend"]),
        "initial_seasonal": [float(v) for v in p["initial_seasons"]],
        "sse": float(res.sse),
        "forecast": [float(v) for v in res.forecast(HORIZON)],
    }


def seasonal_naive(y, horizon=3):
    """Seasonal naive with drift, as docs/seasonality.md defines it; a
    hand-checkable formula, computed independently of the C code."""
    y = np.asarray(y)
    n = len(y)
    d = y[M:] - y[:-M]
    drift = d.mean()
    sd_resid = np.std(d - drift, ddof=1)
    point = [y[n - M + h - 1] + drift for h in range(1, horizon + 1)]
    sd = [sd_resid * np.sqrt(1 + 1 / len(d))] * horizon
    return {"drift": float(drift), "point": [float(v) for v in point], "sd": [float(v) for v in sd]}


def fixture(name, y, first_month):
    n = len(y)
    fx = {
        "name": name,
        "generator": {
            "script": "tests/analytics/make_fixtures.py",
            "statsmodels": statsmodels.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "first_month": first_month,
        "values": [float(v) for v in y],
    }
    if n >= 2 * M:
        fx["decompose"] = decompose(y, first_month)
        mod = hw_model(y, initialization_method="heuristic")
        l0, b0, s0 = mod.initial_values()
        fx["hw_heuristic"] = {
            "source": "ExponentialSmoothing(..., initialization_method='heuristic').initial_values()",
            "initial_level": float(l0),
            "initial_trend": float(b0),
            "initial_seasonal": [float(v) for v in s0],
        }
        est = hw_estimated(y)
        fx["hw_estimated"] = est
        if np.all(s0 > 0):
            fx["hw_known"] = [
                hw_known(y, 0.3, 0.05, 0.1, l0, b0, s0),
                hw_known(y, 0.8, 0.4, 0.15, l0 * 1.05, b0 * 0.5, s0),
                hw_known(y, est["alpha"], est["beta"], est["gamma"], est["initial_level"],
                         est["initial_trend"], est["initial_seasonal"]),
            ]
            fx["interval"] = interval_reference(y, fx["hw_known"][0])
        # else: a calendar month that is zero in every year has a zero
        # heuristic seasonal factor, and the recursions divide by it (0/0);
        # only the estimated fit, which keeps the factor just above zero, is
        # a usable reference.
    else:
        fx["month_share"] = month_share(y, first_month)
        if n > M + 1:
            fx["seasonal_naive"] = seasonal_naive(y)
    return fx


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [
        ("wedding_48", series("wedding", 48, 1, 40.0, 0.5, 2.0, 11), 1),
        ("corporate_36", series("corporate", 36, 4, 60.0, 0.8, 3.0, 12), 4),
        ("holiday_24", series("holiday", 24, 9, 30.0, 0.3, 1.5, 13), 9),
        ("other_zeros_36", series("other", 36, 1, 8.0, 0.15, 0.8, 14, zeros=(0, 14, 27)), 1),
        # February is zero in every year: its index is 0.
        ("dead_month_36", series("other", 36, 1, 8.0, 0.15, 0.8, 16, zeros=(1, 13, 25)), 1),
        ("wandering_60", wandering("corporate", 60, 7, 50.0, 2.5, 1.0, 17), 7),
        ("short_18", series("wedding", 18, 3, 20.0, 0.2, 1.0, 15), 3),
    ]
    for name, y, first_month in cases:
        path = os.path.join(OUT, name + ".json")
        with open(path, "w") as f:
            json.dump(fixture(name, y, first_month), f, indent=1)
            f.write("\n")
        print(path)


if __name__ == "__main__":
    sys.exit(main())
