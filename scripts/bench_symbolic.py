"""Benchmark: build, differentiate and check every parameter as the network grows.

For each size it times, in a fresh process:

* build      - the forward program and the cost expression;
* reverse    - reverse-mode autodiff of every parameter (symbp.autodiff.reverse_gradients);
* check      - the exact check of every parameter against the hand-derived
               equations, in both forms (per example and vectorized);
* reference  - SymPy's diff of the whole cost, parameter by parameter
               (symbp.autodiff.reference_gradients), stopped at --budget seconds.

and fits the growth exponent k of time ~ P^k over the sizes with P >= 100.
Run by hand (not a test):

    python scripts/bench_symbolic.py                 # all sizes, 120 s budget for the reference engine
    python scripts/bench_symbolic.py --sizes 2,2,2 4,4,2 --budget 30
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import platform
import time

DEFAULT_SIZES = ["2,2,2", "4,4,2", "8,8,4", "16,16,8", "32,16,10", "64,32,10", "784,30,10"]


def _network(widths):
    import symbp

    acts = ["sigmoid"] * (len(widths) - 2) + ["softmax"]
    return symbp.Network(widths, acts, "cross_entropy", batch=1)


def _time_reverse(widths, queue):
    from symbp import autodiff

    net = _network(widths)
    t0 = time.perf_counter()
    fwd = net.forward
    _ = fwd.program.expansions  # the cost as one expression shares these
    t1 = time.perf_counter()
    autodiff.reverse_gradients(fwd.program, fwd.cost_symbol, net.symbols.parameter_symbols())
    t2 = time.perf_counter()
    report = net.check()
    t3 = time.perf_counter()
    queue.put({"build": t1 - t0, "reverse": t2 - t1, "check": t3 - t2, "ok": report.ok, "proved": len(report.parameters)})


def _time_reference(widths, queue):
    from symbp import autodiff

    net = _network(widths)
    fwd = net.forward
    t0 = time.perf_counter()
    autodiff.reference_gradients(fwd.program, fwd.cost_symbol, net.symbols.parameter_symbols())
    queue.put({"reference": time.perf_counter() - t0})


def _run(target, widths, budget):
    queue = mp.Queue()
    proc = mp.Process(target=target, args=(widths, queue))
    proc.start()
    proc.join(budget)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return queue.get() if not queue.empty() else None


def _exponent(points, smallest=100):
    points = [(p, t) for p, t in points if t and p >= smallest]
    if len(points) < 2:
        return float("nan")
    xs = [math.log(p) for p, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def _shown(k: float) -> str:
    return "- (needs two sizes in range to fit)" if math.isnan(k) else f"{k:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=DEFAULT_SIZES, help="widths, e.g. 4,4,2")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds allowed to the reference engine per size")
    parser.add_argument("--check-budget", type=float, default=900.0, help="seconds allowed to build+reverse+check")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("network: sigmoid hidden layers, softmax output, cross_entropy, batch 1")
    header = f"{'widths':<14}{'P':>7}{'build s':>10}{'reverse s':>11}{'check s':>10}{'reference s':>13}  check"
    print(header)
    print("-" * len(header))
    rows = []
    skip_reference = False
    for size in args.sizes:
        widths = [int(w) for w in size.split(",")]
        P = sum(widths[l] * (widths[l - 1] + 1) for l in range(1, len(widths)))
        rev = _run(_time_reverse, widths, args.check_budget)
        ref = None if skip_reference else _run(_time_reference, widths, args.budget)
        if ref is None:
            skip_reference = True  # larger sizes would only take longer
        ref_text = f"{ref['reference']:.2f}" if ref else f"> {args.budget:.0f}"
        if rev is None:
            print(f"{size:<14}{P:>7}{'':>10}{'':>11}{'> budget':>10}{ref_text:>13}")
            continue
        status = f"{rev['proved']} proved" if rev["ok"] else "NOT OK"
        print(f"{size:<14}{P:>7}{rev['build']:>10.2f}{rev['reverse']:>11.2f}{rev['check']:>10.2f}{ref_text:>13}  {status}",
              flush=True)
        rows.append((P, rev, ref))
    print()
    for key in ("reverse", "check"):
        print(f"growth exponent k (time ~ P^k, P >= 100) of {key}: {_shown(_exponent([(P, r[key]) for P, r, _ in rows]))}")
    ref_points = [(P, f["reference"]) for P, _, f in rows if f]
    print(f"growth exponent k of reference (every size within the budget): {_shown(_exponent(ref_points, 1))}")

    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
