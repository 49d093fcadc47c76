"""A self-exciting (Hawkes) point process with an exponential kernel: fit, simulate, forecast.

The conditional intensity is

    λ(t) = μ + Σ_{t_i < t} α·β·exp(−β·(t − t_i))

- μ > 0 is the background rate, in events per unit of time;
- α in [0, 1) is the branching ratio: the kernel α·β·exp(−β·s) integrates to α, so one
  event triggers α further events on average, and α < 1 keeps the process stationary,
  with long-run rate μ / (1 − α);
- β > 0 is the decay rate: 1/β is the mean delay from an event to one it triggers.

Observation may have holes. A fit takes the windows in which the source was watching and
treats each as a fresh start: nothing is known of the events in a hole, so no excitation
is carried across it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import minimize

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Windows = Sequence[tuple[float, float]]

# Starting points of the fit, as (α, β / mean event rate); a fit can also start from a guess.
STARTS = ((0.5, 1.0), (0.2, 10.0), (0.8, 0.1), (0.5, 100.0))


@dataclass(frozen=True)
class HawkesParams:
    """The three parameters of an exponential Hawkes process (see the module docstring)."""

    mu: float
    alpha: float
    beta: float

    def __post_init__(self) -> None:
        if not (self.mu > 0 and 0 <= self.alpha < 1 and self.beta > 0):
            raise ValueError(f"need mu > 0, 0 <= alpha < 1, beta > 0; got {self}")

    @property
    def mean_rate(self) -> float:
        """The long-run event rate μ / (1 − α).

        >>> HawkesParams(mu=0.5, alpha=0.5, beta=2.0).mean_rate
        1.0
        """
        return self.mu / (1 - self.alpha)


@dataclass(frozen=True)
class HawkesFit:
    """A maximum-likelihood fit: the parameters, the log-likelihood, and how it went."""

    params: HawkesParams
    log_likelihood: float
    n_events: int
    converged: bool


def decayed_sums(times: FloatArray, beta: float) -> tuple[FloatArray, FloatArray]:
    """A_i = Σ_{j<i} e^{−β(t_i−t_j)} and B_i = Σ_{j<i} (t_i−t_j)·e^{−β(t_i−t_j)}, in O(n).

    The recursions A_i = e^{−βΔ_i}·(1 + A_{i−1}) and B_i = e^{−βΔ_i}·B_{i−1} + Δ_i·A_i
    (Δ_i = t_i − t_{i−1}) are run in log space by np.logaddexp.accumulate: in C, with no
    overflow and no cancellation.

    >>> a, b = decayed_sums(np.array([0.0, 1.0, 1.0]), beta=np.log(2))
    >>> a.round(3).tolist(), b.round(3).tolist()
    ([0.0, 0.5, 1.5], [0.0, 0.5, 0.5])
    """
    if times.size == 0:
        return np.zeros(0), np.zeros(0)
    shifted = beta * (times - times[0])
    a = np.zeros_like(shifted)
    a[1:] = np.exp(np.logaddexp.accumulate(shifted)[:-1] - shifted[1:])
    with np.errstate(divide="ignore"):
        log_inputs = np.log(np.diff(times, prepend=times[0]) * a) + shifted
    b = np.exp(np.logaddexp.accumulate(log_inputs) - shifted)
    return a, b


def _window_terms(
    params: HawkesParams, times: FloatArray, length: float
) -> tuple[float, FloatArray]:
    """Log-likelihood of one window [0, length] and its gradient in (μ, α, β)."""
    mu, alpha, beta = params.mu, params.alpha, params.beta
    a, b = decayed_sums(times, beta)
    intensity = mu + alpha * beta * a
    left = length - times
    tail = np.exp(-beta * left)
    compensator = mu * length + alpha * float(np.sum(1 - tail))
    value = float(np.sum(np.log(intensity))) - compensator
    grad = np.array(
        [
            np.sum(1 / intensity) - length,
            np.sum(beta * a / intensity) - np.sum(1 - tail),
            alpha * (np.sum((a - beta * b) / intensity) - np.sum(left * tail)),
        ]
    )
    return value, grad


def _split(times: FloatArray, windows: Windows) -> list[tuple[FloatArray, float]]:
    """Each window's events, shifted to start at 0, with the window's length."""
    times = np.sort(np.asarray(times, dtype=np.float64))
    holders = np.zeros(times.size, dtype=np.int64)  # how many windows hold each event
    parts = []
    for start, end in windows:
        if end <= start:
            raise ValueError(f"a window must end after it starts: ({start}, {end})")
        mask = (times >= start) & (times <= end)
        holders += mask
        parts.append((times[mask] - start, end - start))
    if (holders == 0).any():
        raise ValueError(f"{int((holders == 0).sum())} event times lie outside every window")
    if (holders > 1).any():
        raise ValueError("the windows overlap: an event lies in two of them")
    return parts


def log_likelihood(params: HawkesParams, times: FloatArray, *, windows: Windows) -> float:
    """The exact log-likelihood of event times observed over the given windows.

    >>> p = HawkesParams(mu=1.0, alpha=0.0001, beta=1.0)
    >>> round(log_likelihood(p, np.array([0.5, 1.5]), windows=[(0.0, 2.0)]), 3)
    -2.0
    """
    return sum(_window_terms(params, t, length)[0] for t, length in _split(times, windows))


def _from_theta(theta: FloatArray) -> HawkesParams:
    """Parameters from the unconstrained scale (log μ, logit α, log β)."""
    return HawkesParams(
        mu=float(np.exp(theta[0])),
        alpha=float(1 / (1 + np.exp(-theta[1]))),
        beta=float(np.exp(theta[2])),
    )


def _to_theta(params: HawkesParams) -> FloatArray:
    alpha = min(max(params.alpha, 1e-6), 1 - 1e-6)
    return np.array([np.log(params.mu), np.log(alpha / (1 - alpha)), np.log(params.beta)])


Box = tuple[FloatArray, FloatArray]


def _objective(
    theta: FloatArray, parts: list[tuple[FloatArray, float]], box: Box
) -> tuple[float, FloatArray]:
    """Minus the log-likelihood per event, and its gradient in (log μ, logit α, log β).

    Outside the box the parameters are clipped to it, so the objective is flat there.
    """
    inside = np.clip(theta, *box)
    params = _from_theta(inside)
    value, grad = 0.0, np.zeros(3)
    for times, length in parts:
        v, g = _window_terms(params, times, length)
        value, grad = value + v, grad + g
    chain = np.array([params.mu, params.alpha * (1 - params.alpha), params.beta])
    scale = max(sum(t.size for t, _ in parts), 1)
    return -value / scale, np.where(inside == theta, -grad * chain / scale, 0.0)


def _box(parts: list[tuple[FloatArray, float]]) -> Box:
    """Generous bounds on (log μ, logit α, log β), relative to the data's own rate."""
    n_events = sum(t.size for t, _ in parts)
    log_rate = float(np.log(n_events / sum(length for _, length in parts)))
    longest = max(length for _, length in parts)
    lower = np.array([log_rate - 15, -12.0, -np.log(longest) - 5])
    upper = np.array([log_rate + 3, 9.0, log_rate + 15])
    return lower, upper


def _starts(
    parts: list[tuple[FloatArray, float]], initial: HawkesParams | None
) -> list[FloatArray]:
    """Starting points on the unconstrained scale: the defaults, or `initial` and the first."""
    rate = sum(t.size for t, _ in parts) / sum(length for _, length in parts)
    starts = [HawkesParams(mu=rate * (1 - a), alpha=a, beta=rate * b) for a, b in STARTS]
    return [_to_theta(p) for p in ([initial, starts[0]] if initial else starts)]


def fit_hawkes(
    times: FloatArray, *, windows: Windows, initial: HawkesParams | None = None
) -> HawkesFit:
    """Maximum-likelihood fit from several starts (or from `initial` and one default start).

    BFGS on (log μ, logit α, log β) with the exact gradient, kept inside generous bounds by
    clipping. (L-BFGS-B takes bounds itself, but its BLAS threads, waiting on each other on
    a busy machine, made it ten times slower here than the likelihood it minimises.)

    >>> rng = np.random.default_rng(1)
    >>> times = simulate_hawkes(HawkesParams(mu=0.5, alpha=0.5, beta=2.0), end=2000.0, rng=rng)
    >>> fit = fit_hawkes(times, windows=[(0.0, 2000.0)])
    >>> round(fit.params.alpha, 1), fit.converged
    (0.5, True)
    """
    parts = _split(times, windows)
    n_events = sum(t.size for t, _ in parts)
    if n_events < 2:
        raise ValueError(f"need at least 2 events to fit a Hawkes process, got {n_events}")
    box = _box(parts)
    best = None
    for x0 in _starts(parts, initial):
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            result = minimize(
                _objective, np.clip(x0, *box), args=(parts, box), jac=True, method="BFGS"
            )
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    if best is None:
        raise ValueError("the Hawkes likelihood could not be maximised from any start")
    params = _from_theta(np.clip(best.x, *box))
    return HawkesFit(params, -float(best.fun) * n_events, n_events, bool(best.success))


def excitation_at(params: HawkesParams, history: FloatArray, at: float) -> float:
    """The self-excited part of the intensity, λ(at) − μ, left by the events before `at`.

    >>> round(excitation_at(HawkesParams(mu=1.0, alpha=0.5, beta=1.0), np.array([0.0]), 1.0), 4)
    0.1839
    """
    past = history[history < at]
    return float(np.sum(params.alpha * params.beta * np.exp(-params.beta * (at - past))))


def _thin(
    params: HawkesParams,
    *,
    start: float,
    end: float,
    excitation: float,
    n_paths: int,
    rng: np.random.Generator,
) -> tuple[IntArray, FloatArray]:
    """Ogata's thinning on [start, end), n_paths continuations at once: (path, time) of each event.

    Between events the intensity only decays, so its value now bounds it until the next event:
    propose after an exponential wait at that bound, keep with probability λ(proposal) / bound.
    """
    mu, jump = params.mu, params.alpha * params.beta
    ids = np.arange(n_paths)
    now = np.full(n_paths, start)
    excess = np.full(n_paths, excitation)
    paths, times = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    while ids.size:
        bound = mu + excess
        wait = rng.standard_exponential(ids.size) / bound
        now = now + wait
        excess = excess * np.exp(-params.beta * wait)
        inside = now < end
        keep = (rng.random(ids.size) * bound <= mu + excess) & inside
        excess = excess + jump * keep
        paths.append(ids[keep])
        times.append(now[keep])
        if not inside.all():
            ids, now, excess = ids[inside], now[inside], excess[inside]
    return np.concatenate(paths).astype(np.int64), np.concatenate(times)


def simulate_hawkes(
    params: HawkesParams,
    *,
    end: float,
    rng: np.random.Generator,
    start: float = 0.0,
    history: FloatArray | None = None,
) -> FloatArray:
    """Event times on [start, end) by Ogata's thinning, continuing from `history` if given.

    >>> rng = np.random.default_rng(0)
    >>> times = simulate_hawkes(HawkesParams(1.0, 0.5, 2.0), end=100.0, rng=rng)
    >>> bool(times.size > 100 and times.max() < 100.0)
    True
    """
    past = np.zeros(0) if history is None else np.asarray(history, dtype=np.float64)
    excitation = excitation_at(params, past, start)
    _, times = _thin(params, start=start, end=end, excitation=excitation, n_paths=1, rng=rng)
    return times


@dataclass(frozen=True)
class CountForecast:
    """Simulated counts of the next periods: one row per path, one column per period."""

    samples: IntArray

    def mean(self) -> FloatArray:
        """The expected count of each period."""
        return np.asarray(self.samples.mean(axis=0), dtype=np.float64)

    def interval(self, level: float = 0.8) -> tuple[FloatArray, FloatArray]:
        """The central interval of each period's count that holds `level` of the paths."""
        tail = (1 - level) / 2
        low, high = np.quantile(self.samples, [tail, 1 - tail], axis=0, method="inverted_cdf")
        return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)

    def prob_at_least(self, threshold: int) -> FloatArray:
        """The probability of at least `threshold` events in each period."""
        return np.asarray((self.samples >= threshold).mean(axis=0), dtype=np.float64)

    def summary(self, *, threshold: int, level: float = 0.8) -> pd.DataFrame:
        """One row per period ahead: mean, interval, P(at least 1), P(at least threshold).

        >>> CountForecast(np.array([[0, 2], [1, 4]])).summary(threshold=3)["p_at_least_3"].tolist()
        [0.0, 0.5]
        """
        low, high = self.interval(level)
        return pd.DataFrame(
            {
                "period": np.arange(1, self.samples.shape[1] + 1),
                "mean": self.mean(),
                "low": low,
                "high": high,
                "p_any": self.prob_at_least(1),
                f"p_at_least_{threshold}": self.prob_at_least(threshold),
            }
        )


def forecast_counts(
    params: HawkesParams,
    history: FloatArray,
    *,
    origin: float,
    periods: int,
    rng: np.random.Generator,
    period: float = 1.0,
    n_paths: int = 1000,
) -> CountForecast:
    """Counts in each of the `periods` periods after `origin`, simulated given the history.

    >>> p = HawkesParams(mu=2.0, alpha=0.5, beta=1.0)
    >>> rng = np.random.default_rng(0)
    >>> fc = forecast_counts(p, np.array([9.5]), origin=10.0, periods=3, rng=rng)
    >>> fc.samples.shape
    (1000, 3)
    """
    if periods < 1 or n_paths < 1:
        raise ValueError("need periods >= 1 and n_paths >= 1")
    excitation = excitation_at(params, np.asarray(history, dtype=np.float64), origin)
    end = origin + periods * period
    paths, times = _thin(
        params, start=origin, end=end, excitation=excitation, n_paths=n_paths, rng=rng
    )
    column = np.minimum(((times - origin) // period).astype(np.int64), periods - 1)
    flat = np.bincount(paths * periods + column, minlength=n_paths * periods)
    return CountForecast(flat.reshape(n_paths, periods).astype(np.int64))
