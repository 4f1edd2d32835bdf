"""A small Levenberg-Marquardt least-squares fit in numpy (no scipy).

Used to fit the two-Gaussian curve that CEDAR's notebook fits with
``scipy.optimize.curve_fit`` (MINPACK ``lmdif``): same model, same starting
point, same tolerances (``ftol = xtol = 1.49012e-8``) and the same evaluation
budget (``200 * (n_params + 1)``). The Jacobian here is analytic, MINPACK's is
a forward difference, so the two can stop a few ulps apart; what CEDAR's rule
uses from the fit (a window of whole percentage points around the lower mode)
does not move with such differences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

TOL = 1.49012e-8


class FitError(RuntimeError):
    """The fit did not converge within its evaluation budget."""


def gauss(x: np.ndarray, mu: float, sigma: float, amp: float) -> np.ndarray:
    return amp * np.exp(-((x - mu) ** 2) / 2.0 / sigma**2)


def bimodal(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    return gauss(x, p[0], p[1], p[2]) + gauss(x, p[3], p[4], p[5])


def bimodal_jacobian(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    cols = []
    for mu, sigma, amp in (p[0:3], p[3:6]):
        e = np.exp(-((x - mu) ** 2) / 2.0 / sigma**2)
        cols += [
            amp * e * (x - mu) / sigma**2,
            amp * e * (x - mu) ** 2 / sigma**3,
            e,
        ]
    return np.column_stack(cols)


def levenberg_marquardt(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    jac: Callable[[np.ndarray, np.ndarray], np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    p0: np.ndarray,
    *,
    max_eval: int | None = None,
) -> np.ndarray:
    """Minimise ``sum((f(x, p) - y)**2)`` from ``p0``; raises FitError when it cannot."""
    p = np.asarray(p0, dtype=np.float64).copy()
    budget = max_eval or 200 * (p.size + 1)
    with np.errstate(all="ignore"):
        r = f(x, p) - y
        cost = float(r @ r)
        lam, evals = 1e-3, 1
        while evals < budget:
            jm = jac(x, p)
            a = jm.T @ jm
            g = jm.T @ r
            if not (np.all(np.isfinite(a)) and np.all(np.isfinite(g))):
                raise FitError("non-finite Jacobian")
            d = np.diag(a).copy()
            d[d == 0] = 1.0
            while evals < budget:
                try:
                    step = np.linalg.solve(a + lam * np.diag(d), -g)
                except np.linalg.LinAlgError:
                    lam *= 10.0
                    evals += 1
                    continue
                trial = p + step
                rt = f(x, trial) - y
                evals += 1
                ct = float(rt @ rt)
                if np.isfinite(ct) and ct <= cost:
                    small_step = np.linalg.norm(step) <= TOL * (np.linalg.norm(p) + TOL)
                    small_gain = cost - ct <= TOL * cost
                    p, r, cost = trial, rt, ct
                    lam = max(lam / 10.0, 1e-12)
                    if small_step or small_gain:
                        return p
                    break
                lam *= 10.0
                if lam > 1e16:
                    return p  # no downhill step left: a minimum to working precision
        raise FitError(f"no convergence within {budget} evaluations")
