"""Benchmark: gradient evaluation time of symbp's lambdified gradients against its peers.

For each network, dtype and batch size m, every implementation computes the same
gradient (sigmoid hidden layers, softmax output, cross-entropy; see peers.py) on
the same inputs: symbp's ``symbp.compile.lambdify(net, dtype)``, hand-written
vectorized NumPy backprop, a per-example loop (Nielsen style), PyTorch CPU
autograd (eager) and JAX ``jit(grad)`` on the CPU. PyTorch, JAX and symbp's
compiled path are optional: each is skipped, with a message, if missing.

The machine may be shared and noisy, so the script

- pins the thread count of every library (threadpoolctl for NumPy's BLAS,
  ``torch.set_num_threads``, XLA flags for JAX), 1 thread by default, and keeps
  the process on that many cores (CPU affinity: XLA's own thread pool ignores
  its flags);
- checks first that every implementation gives the same gradients as the
  hand-written NumPy (max abs difference printed; a mismatch is flagged);
- interleaves the implementations round by round (the order rotates each
  round), times each over enough calls to last ``--target-ms``, and reports
  the median over rounds of the same-round ratio to the hand-written NumPy;
- times the CPU time of the process by default (``--clock cpu``): with every
  library on one thread, that is the work done, whatever else holds the
  cores meanwhile; ``--clock wall`` times elapsed time;
- reports GFLOP/s (matrix-product flops only) against the NumPy
  matrix-multiply peak measured in the same run with the same threads, and the
  machine's load average (os.getloadavg) before, during and after.

Run from the repository root::

    python scripts/bench_numeric.py            # the full run (a few minutes)
    python scripts/bench_numeric.py --quick    # a short run while developing

Non-goals: training, GPUs, other activations or costs, timing tests (these are
measurements for the README, not pass/fail checks).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402  (the script's sibling module)

NETS = ((784, 30, 10), (784, 256, 256, 10))
BATCHES = (1, 10, 100, 1000)
DTYPES = ("float64", "float32")
ORDER = ("numpy", "symbp", "loop", "torch", "jax")


def matmul_flops(widths, m: int) -> int:
    """Flops of the matrix products of one gradient: forward W A, backward dZ A^T and W^T dZ."""
    products = [widths[l] * widths[l - 1] for l in range(1, len(widths))]
    return 2 * m * (3 * sum(products) - products[0])  # no W^T dZ for the first layer


def symbp_peer(widths, dtype: str) -> tuple[peers.Peer, float]:
    """symbp's lambdified gradient as a peer, and the seconds it took to build."""
    from symbp import Network
    from symbp.compile import lambdify

    start = time.perf_counter()
    activations = ["sigmoid"] * (len(widths) - 2) + ["softmax"]
    grad = lambdify(Network(list(widths), activations, "cross_entropy"), dtype=dtype)
    built = time.perf_counter() - start
    return peers.Peer("symbp", "symbp.compile.lambdify", lambda p, X, Y: (p, X, Y), grad, lambda g: g), built


#: The clocks a measurement can use: wall time, or the CPU time of the whole process (all its threads),
#: which leaves out the time other processes hold the cores (the work itself is what is timed).
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]


def matmul_peak(dtype: str, n: int = 1024, repeats: int = 7) -> float:
    """Best GFLOP/s of an n x n NumPy matrix product over ``repeats`` runs."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)).astype(dtype), rng.random((n, n)).astype(dtype)
    a @ b
    best = math.inf
    for _ in range(repeats):
        start = clock()
        a @ b
        best = min(best, clock() - start)
    return 2 * n**3 / best / 1e9


def time_calls(run, args, calls: int) -> tuple[float, float]:
    """Seconds per call on the chosen clock and on the wall clock, over ``calls`` consecutive calls."""
    start, wall = clock(), time.perf_counter()
    for _ in range(calls):
        run(*args)
    return (clock() - start) / calls, (time.perf_counter() - wall) / calls


def bench_case(impls, widths, m: int, dtype: str, rounds: int, target: float, tolerance: float) -> dict:
    """Check and time every implementation on one (network, batch, dtype)."""
    params, X, Y = peers.problem(widths, m, dtype)
    reference = peers.numpy_backprop(params, X, Y)
    case = {"widths": list(widths), "m": m, "dtype": dtype, "flops": matmul_flops(widths, m), "impls": {}}
    prepared = {}
    for name, impl in impls.items():
        args = impl.prepare(params, X, Y)
        grads = impl.to_numpy(impl.run(*args))  # also the warm-up (JAX compiles here)
        diff = max(float(np.abs(np.asarray(grads[k], dtype=np.float64) - reference[k]).max()) for k in reference)
        one = time_calls(impl.run, args, 1)[1]
        prepared[name] = (args, max(1, math.ceil(target / max(one, 1e-9))))
        case["impls"][name] = {"max_abs_diff": diff, "same": diff <= tolerance, "calls": prepared[name][1]}
    names = list(impls)
    times = {name: [] for name in names}
    walls = {name: [] for name in names}
    loads = [os.getloadavg()[0]]
    gc.disable()
    try:
        for r in range(rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:  # rotate the order each round
                args, calls = prepared[name]
                seconds, wall = time_calls(impls[name].run, args, calls)
                times[name].append(seconds)
                walls[name].append(wall)
    finally:
        gc.enable()
    loads.append(os.getloadavg()[0])
    for name in names:
        ratios = [t / u for t, u in zip(times[name], times["numpy"])]
        q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
        seconds = statistics.median(times[name])
        case["impls"][name].update(
            seconds=seconds, ratio=statistics.median(ratios), ratio_q1=q[0], ratio_q3=q[2],
            gflops=case["flops"] / seconds / 1e9, rounds=times[name], wall_rounds=walls[name],
            share=statistics.median(t / w for t, w in zip(times[name], walls[name])),
        )
    case["load"] = loads
    return case


def load_impls(names, threads: int) -> tuple[dict, list[str]]:
    """Factories of the available peers (besides symbp), and one message per skipped peer."""
    factories, skipped = {}, []
    for name in names:
        if name == "symbp":
            try:
                import symbp.compile  # noqa: F401  (only whether it imports)
            except ImportError as exc:
                skipped.append(f"symbp: skipped, symbp.compile is not available ({exc})")
                continue
            factories[name] = None
            continue
        try:
            peer = peers.make_peer(name)
        except peers.PeerUnavailable as exc:
            skipped.append(f"{name}: skipped, {exc}")
            continue
        if name == "torch":
            import torch

            torch.set_num_threads(threads)
        factories[name] = peer
    return factories, skipped


def machine_description(threads: int) -> list[str]:
    """Lines describing the CPU, the BLAS and the thread limits."""
    from threadpoolctl import threadpool_info

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = f"{names[0]} x {len(names)}" if names else cpu
    except OSError:
        pass
    blas = [f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture', '?')} kernels)" for i in threadpool_info() if i.get("user_api") == "blas"]
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    return [
        f"CPU: {cpu}, {os.cpu_count()} logical cores; Python {platform.python_version()}, NumPy {np.__version__}",
        f"BLAS: {', '.join(blas) or 'unknown'}" + (f"; OPENBLAS_CORETYPE={coretype} is set" if coretype else ""),
        f"threads: {threads} for every library",
    ]


def cell(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _share_range(case: dict) -> tuple[float, float]:
    shares = [impl["share"] for impl in case["impls"].values()]
    return min(shares), max(shares)


def print_tables(cases: list[dict], names: list[str], peaks: dict) -> None:
    """Markdown tables: ratios, GFLOP/s with % of peak, max abs differences."""
    def rows(values):
        for case in cases:
            head = f"| {case['widths']} | {case['dtype']} | {case['m']} |"
            print(head + " " + " | ".join(values(case)) + " |")

    def get(case, name, key):
        return case["impls"].get(name, {}).get(key)

    others = [n for n in names if n != "numpy"]
    kind = "CPU time" if clock is CLOCKS["cpu"] else "wall time"
    print(f"\nTime per gradient ({kind}) as a ratio to hand-written NumPy (median of same-round ratios; < 1 is faster):\n")
    print("| net | dtype | m | NumPy time | " + " | ".join(others) + " | load | CPU/wall |")
    print("|---|---|---:|---:|" + "---:|" * len(others) + "---:|---:|")
    rows(lambda c: [f"{get(c, 'numpy', 'seconds') * 1e6:,.0f} µs"]
         + [cell(get(c, n, "ratio"), ".2f") + ("x" if get(c, n, "ratio") is not None else "") for n in others]
         + [f"{max(c['load']):.2f}", "{:.2f}-{:.2f}".format(*_share_range(c))])
    print("\nGFLOP/s of the matrix products (% of the NumPy matmul peak of that dtype):\n")
    print("| net | dtype | m | " + " | ".join(names) + " |")
    print("|---|---|---:|" + "---:|" * len(names))
    rows(lambda c: [
        "-" if get(c, n, "gflops") is None else f"{get(c, n, 'gflops'):.1f} ({100 * get(c, n, 'gflops') / peaks[c['dtype']]:.0f}%)"
        for n in names
    ])
    print("\nMax abs difference of the gradients from hand-written NumPy (same inputs):\n")
    print("| net | dtype | m | " + " | ".join(others) + " |")
    print("|---|---|---:|" + "---:|" * len(others))
    rows(lambda c: [cell(get(c, n, "max_abs_diff"), ".1e") + ("" if get(c, n, "same") in (True, None) else " MISMATCH") for n in others])


def head_to_head(rounds: list[float], other: list[float], resamples: int = 4000, seed: int = 0) -> tuple[float, float, float]:
    """The median of same-round time ratios ``rounds / other`` and its 95 % bootstrap interval (seeded).

    A ratio under 1 means the first is faster; the interval says whether that is more than noise.
    """
    ratios = np.asarray(rounds) / np.asarray(other)
    rng = np.random.default_rng(seed)
    medians = np.median(rng.choice(ratios, (resamples, ratios.size)), axis=1)
    low, high = np.percentile(medians, [2.5, 97.5])
    return float(np.median(ratios)), float(low), float(high)


def verdict(low: float, high: float) -> str:
    """'faster', 'slower' or 'a tie within the noise', from a ratio's 95 % interval."""
    return "faster" if high < 1 else "slower" if low > 1 else "a tie within the noise"


def print_targets(cases: list[dict], peaks: dict) -> None:
    """Issue 3's targets for symbp, judged on the medians above (as noisy as they are)."""
    def ratio(case, name):
        return case["impls"].get(name, {}).get("ratio")

    with_symbp = [c for c in cases if "symbp" in c["impls"]]
    if not with_symbp:
        return
    peers_present = [n for n in ORDER if n not in ("numpy", "symbp") and any(n in c["impls"] for c in cases)]
    worst = max(with_symbp, key=lambda c: ratio(c, "symbp"))
    lines = [f"symbp <= 1.05x hand-written NumPy at every size: worst {ratio(worst, 'symbp'):.2f}x "
             f"({worst['widths']} {worst['dtype']} m={worst['m']})"]
    small = [(c, n) for c in with_symbp if c["m"] <= 100 for n in peers_present if n in c["impls"]]
    slower = [(c, n) for c, n in small if ratio(c, "symbp") >= ratio(c, n)]
    lines.append(f"symbp faster than every peer at m <= 100: {len(small) - len(slower)} of {len(small)} comparisons"
                 + "".join(f"; not vs {n} at {c['widths']} {c['dtype']} m={c['m']}" for c, n in slower))
    for c in (c for c in with_symbp if c["m"] == 1000 and "jax" in c["impls"]):
        mid, low, high = head_to_head(c["impls"]["symbp"]["rounds"], c["impls"]["jax"]["rounds"])
        lines.append(f"m=1000 {c['widths']} {c['dtype']}: symbp {ratio(c, 'symbp'):.2f}x vs JAX {ratio(c, 'jax'):.2f}x; "
                     f"symbp/JAX same-round {mid:.3f} (95% bootstrap interval {low:.3f}-{high:.3f}, "
                     f"{len(c['impls']['symbp']['rounds'])} rounds): {verdict(low, high)}")
    for c in (c for c in with_symbp if c["m"] == 1000 and len(c["widths"]) > 3):
        share = c["impls"]["symbp"]["gflops"] / peaks[c["dtype"]]
        lines.append(f"m=1000 {c['widths']} {c['dtype']}: symbp at {100 * share:.0f}% of the matmul peak (target 60%)")
    print("\nIssue 3 targets, from the medians above:\n")
    for line in lines:
        print(f"- {line}")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nets", default=";".join(",".join(map(str, n)) for n in NETS), help="networks as widths, ';'-separated (default %(default)s)")
    p.add_argument("--m", default=",".join(map(str, BATCHES)), help="batch sizes (default %(default)s)")
    p.add_argument("--dtypes", default=",".join(DTYPES), help="default %(default)s")
    p.add_argument("--impls", default=",".join(ORDER), help="implementations (default %(default)s); numpy is always included")
    p.add_argument("--threads", type=int, default=1, help="threads for every library (default %(default)s)")
    p.add_argument("--rounds", type=int, default=15, help="interleaved rounds per case (default %(default)s)")
    p.add_argument("--target-ms", type=float, default=20.0, help="length of one timed measurement (default %(default)s ms)")
    p.add_argument(
        "--clock", choices=tuple(CLOCKS), default="cpu",
        help="cpu: CPU time of the process (default; robust to other processes on a shared machine); wall: elapsed time",
    )
    p.add_argument("--quick", action="store_true", help="3 rounds of 2 ms: a smoke run while developing")
    p.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    args = p.parse_args(argv)
    if args.quick:
        args.rounds, args.target_ms = 3, 2.0
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        return _run(args)
    finally:  # the cores the process had (for a caller that goes on: a test)
        if allowed is not None:
            peers.set_affinity(allowed)


def _run(args: argparse.Namespace) -> int:
    global clock
    clock = CLOCKS[args.clock]
    cores = peers.limit_threads(args.threads)  # before JAX is imported
    from threadpoolctl import threadpool_limits

    nets = [tuple(int(w) for w in net.split(",")) for net in args.nets.split(";")]
    batches = [int(m) for m in args.m.split(",")]
    dtypes = args.dtypes.split(",")
    wanted = ["numpy"] + [n for n in args.impls.split(",") if n != "numpy"]
    started = time.perf_counter()
    load_start = os.getloadavg()
    with threadpool_limits(limits=args.threads):
        factories, skipped = load_impls(wanted, args.threads)
        print("# symbp numeric benchmark\n")
        for line in machine_description(args.threads):
            print(f"- {line}")
        print(f"- the process kept on core {', '.join(map(str, sorted(cores)))} (CPU affinity): every library's threads "
              f"share {'it' if len(cores) == 1 else 'them'}" if cores else "- CPU affinity not available: threads "
              "are limited by each library's own setting only")
        print(f"- load average at start (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in load_start)}")
        print(f"- {args.rounds} interleaved rounds per case, each measurement >= {args.target_ms:g} ms of wall time; "
              + ("times are CPU time of the process (all its threads), so other processes' load is left out; "
                 "CPU/wall is the range, over the implementations, of the share of a core they got (above 1 would mean a "
                 "second thread at work)" if args.clock == "cpu" else "times are wall time"))
        for message in skipped:
            print(f"- {message}")
        peaks = {dtype: matmul_peak(dtype) for dtype in dtypes}  # measured again at the end; the larger is used
        cases = []
        for widths in nets:
            for dtype in dtypes:
                impls = {}
                for name, peer in factories.items():
                    if name == "symbp":
                        peer, built = symbp_peer(widths, dtype)
                        print(f"- symbp.compile.lambdify({list(widths)}, {dtype}) built in {built:.2f} s")
                    impls[name] = peer
                tolerance = 1e-12 if dtype == "float64" else 1e-5
                for m in batches:
                    case = bench_case(impls, widths, m, dtype, args.rounds, args.target_ms / 1e3, tolerance)
                    cases.append(case)
                    print(f"  {list(widths)} {dtype} m={m}: done (load {case['load'][-1]:.2f})", file=sys.stderr)
        for dtype in dtypes:
            again = matmul_peak(dtype)
            print(f"- NumPy matmul peak, 1024 x 1024, {dtype}: {max(peaks[dtype], again):.1f} GFLOP/s "
                  f"(best of 7, at the start {peaks[dtype]:.1f}, at the end {again:.1f})")
            peaks[dtype] = max(peaks[dtype], again)
        names = [n for n in ORDER if n in factories]
        print_tables(cases, names, peaks)
        print_targets(cases, peaks)
    load_end = os.getloadavg()
    print(f"\nLoad average at end (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in load_end)}; wall time {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"peaks": peaks, "load": [load_start, load_end], "cases": cases}, indent=1))
    mismatched = [c for c in cases if not all(i["same"] for i in c["impls"].values())]
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
