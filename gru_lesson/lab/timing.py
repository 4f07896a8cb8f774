"""Lab tool for chapters 9 and 13: measurement helpers shared with `benchmarks/`.

A timing on a shared machine is a noisy sample. Three habits make a comparison between two
pieces of code fair enough to read a ratio off it:

  1. Interleave. Call candidate A, then B, then A, ... so that both see the same machine: a burst
     of load from another process hits both, not only the one that happened to run then.
  2. Keep the best. Noise only ever adds time, so the fastest of several calls is the estimate
     closest to what the code itself costs (the convention of Python's `timeit`).
  3. Fix the threads. NumPy's BLAS and torch each pick their own number of threads; a comparison
     gives both the same number (`limit_threads`).

    best = interleaved_best({"loop": lambda: m.loop(x), "scan": lambda: m.scan(x)}, repeats=5)
    ratio = best["scan"] / best["loop"]                 # < 1: the scan was faster

Interleaving has a trap of its own when the candidates use different libraries. After a NumPy
call, OpenBLAS's worker threads keep spinning for a while, waiting for more work, and take the
cores from whatever runs next in the same process (torch, say). `isolated_times` avoids it: each
candidate runs alone in a fresh process with the same thread count, and the processes alternate.

Times are in seconds, from `time.perf_counter`. Nothing here imports torch: it is touched only
where a caller has imported it already (`sys.modules`). threadpoolctl, which sets the BLAS
threads, is imported when first needed; without it the BLAS threads are left as they are.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import platform
import sys
import time
from collections.abc import Callable, Hashable, Iterator, Mapping

from .._validation import positive_int

__all__ = ["blas_description", "child_environment", "cpu_model", "interleaved_best", "interleaved_times", "isolated_times", "limit_threads", "machine_description", "per_step_best"]


def interleaved_times(
    fns: Mapping[Hashable, Callable[[], object]],
    repeats: int = 5,
    *,
    number: int = 1,
    warmup: int = 1,
    synchronize: Callable[[], object] | None = None,
) -> dict[Hashable, list[float]]:
    """Every timing of each candidate, the candidates alternating call by call.

    fns: {name: a function of no arguments}, e.g. {"loop": lambda: m.loop(x)}; any hashable names.
    repeats: rounds; in each round every candidate is timed once, and the order of the candidates
             rotates from round to round, so none is always first after another's cache traffic.
    number: calls per timing (the time is divided by it); more than 1 for calls of a few µs.
    warmup: untimed rounds first (first calls allocate, fill caches, load lazy code).
    synchronize: called after the calls and before the clock stops, e.g. torch.cuda.synchronize,
                 so that work still queued on a GPU is counted.
    Returns {name: [seconds per call in round 1, round 2, ...]}, in the order of `fns`.

    >>> times = interleaved_times({"sum": lambda: sum(range(100)), "nothing": lambda: None}, repeats=3)
    >>> list(times), [len(t) for t in times.values()]
    (['sum', 'nothing'], [3, 3])
    """
    repeats, number = positive_int("repeats", repeats), positive_int("number", number)
    warmup = positive_int("warmup", warmup, minimum=0)
    if not fns:
        raise ValueError("expected at least one function to time, got none")
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"expected {name!r} to be a function of no arguments, got {type(fn).__name__}")
    names = list(fns)
    for _ in range(warmup):
        for name in names:
            fns[name]()
    if synchronize is not None:
        synchronize()
    times: dict[Hashable, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            fn = fns[name]
            start = time.perf_counter()
            for _ in range(number):
                fn()
            if synchronize is not None:
                synchronize()
            elapsed = (time.perf_counter() - start) / number
            # perf_counter has a finite resolution: an empty call may read 0, which no ratio survives
            times[name].append(max(elapsed, 1e-9))
    return times


def interleaved_best(
    fns: Mapping[Hashable, Callable[[], object]],
    repeats: int = 5,
    **options: object,
) -> dict[Hashable, float]:
    """The best time per call of each candidate: the minimum of `interleaved_times` (same arguments).

    Noise only ever adds time, so the fastest call is the estimate closest to what the code costs.

    >>> best = interleaved_best({"sum": lambda: sum(range(100)), "nothing": lambda: None}, repeats=3)
    >>> list(best), all(t > 0 for t in best.values())
    (['sum', 'nothing'], True)
    """
    return {name: min(times) for name, times in interleaved_times(fns, repeats, **options).items()}


# The program each isolated candidate runs: its setup source defines run(); warm up, then time calls.
_CHILD = """
import json, sys, time
spec = json.loads(sys.stdin.read())
namespace = {"__name__": "candidate"}
exec(spec["source"], namespace)
torch = sys.modules.get("torch")
if torch is not None:
    torch.set_num_threads(spec["threads"])
run = namespace["run"]
for _ in range(spec["warmup"]):
    run()
times = []
for _ in range(spec["calls"]):
    start = time.perf_counter()
    run()
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def child_environment(threads: int) -> dict[str, str]:
    """The environment for a fresh Python process that times something: this one's, with `threads`
    for NumPy's BLAS (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS: read when NumPy loads, so
    they must be set before the process starts) and this gru_lesson first on PYTHONPATH."""
    threads = positive_int("threads", threads)
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads),
            "MKL_NUM_THREADS": str(threads),
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}


def isolated_times(
    candidates: Mapping[str, str],
    *,
    threads: int,
    calls: int = 30,
    warmup: int = 3,
    rounds: int = 3,
) -> dict[str, dict[str, object]]:
    """Each candidate timed alone, in a fresh Python process of its own; the processes alternate.

    candidates: {name: Python source that defines `run()`, a function of no arguments}; the source
                builds everything run() needs (imports, data, models) and is not timed.
    threads: for NumPy's BLAS (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS, set before
             the process starts) and for torch (torch.set_num_threads, if the source imports it).
    calls: timed calls per process, after `warmup` untimed ones.  rounds: processes per candidate,
           in the order A, B, ..., A, B, ..., so that a slow spell of the machine hits every one.
    Returns {name: {"best": the fastest call, "median": the median call, "times": every call}}, seconds.

    >>> found = isolated_times({"sum": "def run(): sum(range(1000))"}, threads=1, calls=3, rounds=2)
    >>> list(found["sum"]), len(found["sum"]["times"])
    (['best', 'median', 'times'], 6)
    """
    threads, calls = positive_int("threads", threads), positive_int("calls", calls)
    warmup, rounds = positive_int("warmup", warmup, minimum=0), positive_int("rounds", rounds)
    if not candidates:
        raise ValueError("expected at least one candidate to time, got none")
    for name, source in candidates.items():
        if not isinstance(source, str) or "def run(" not in source:
            raise TypeError(f"expected {name!r} as Python source that defines run(), got {source!r:.60}")
    env = child_environment(threads)
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, source in candidates.items():
            spec = json.dumps({"source": source, "threads": threads, "calls": calls, "warmup": warmup})
            child = subprocess.run([sys.executable, "-c", _CHILD], input=spec, capture_output=True,
                                   text=True, env=env)
            if child.returncode != 0:
                raise RuntimeError(f"candidate {name!r} failed in its own process:\n{child.stderr[-2000:]}")
            times[name] += json.loads(child.stdout.strip().splitlines()[-1])
    return {name: {"best": min(t), "median": statistics.median(t), "times": t} for name, t in times.items()}


def per_step_best(
    fns: Mapping[str, Callable[[int], object]],
    T: int,
    repeats: int = 5,
    **options: object,
) -> dict[str, float]:
    """The cost of one more time step for each candidate: (best time of T steps − best of 1) / (T − 1).

    fns: {name: a function of the number of steps}, e.g. {"fused": lambda T: gru(x[:T])}.
    T: the longer run, at least 2.  repeats, options: as `interleaved_best` (all 2·len(fns) calls
    are interleaved with each other).
    What a call pays once (checking its input, laying out weights) is in both times and cancels,
    so the result is the price of a step alone. On a noisy machine it can come out ≤ 0 for calls
    whose steps cost almost nothing; it is then reported as 1e-9 s.

    >>> costs = per_step_best({"sum": lambda T: sum(range(100 * T))}, T=50, repeats=3)
    >>> list(costs), costs["sum"] > 0
    (['sum'], True)
    """
    T = positive_int("T (a long run and a one-step run)", T, minimum=2)
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"expected {name!r} to be a function of the number of steps, got {type(fn).__name__}")
    calls = {(name, steps): (lambda fn=fn, steps=steps: fn(steps)) for name, fn in fns.items() for steps in (T, 1)}
    best = interleaved_best(calls, repeats, **options)
    return {name: max((best[name, T] - best[name, 1]) / (T - 1), 1e-9) for name in fns}


@contextlib.contextmanager
def limit_threads(n: int) -> Iterator[None]:
    """Run the block with `n` threads for NumPy's BLAS and for torch (if imported), then restore both.

    BLAS threads are set with threadpoolctl when it is installed (else left alone); torch's with
    torch.set_num_threads, only if the caller has imported torch already.

    >>> with limit_threads(1):
    ...     pass
    """
    n = positive_int("n (threads)", n)
    torch = sys.modules.get("torch")
    torch_before = torch.get_num_threads() if torch is not None else None
    with contextlib.ExitStack() as stack:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # no threadpoolctl (e.g. on Binder): BLAS keeps its own setting
            pass
        else:
            stack.enter_context(threadpool_limits(limits=n, user_api="blas"))
        if torch is not None:
            torch.set_num_threads(n)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(torch_before)


def blas_description() -> str:
    """NumPy's BLAS library, kernel and threads as threadpoolctl reports them, in one line.

    E.g. "openblas 0.3.29, kernel SkylakeX, 2 threads". Without threadpoolctl, NumPy's own summary.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        import numpy as np

        config = np.show_config(mode="dicts") or {}
        blas = config.get("Build Dependencies", {}).get("blas", {})
        return f"{blas.get('name', 'unknown BLAS')} {blas.get('version', '')} (threadpoolctl not installed)".strip()
    import numpy  # noqa: F401  (threadpoolctl sees only libraries that are loaded)

    found = [f"{i.get('internal_api', i.get('prefix', '?'))} {i.get('version') or ''}, kernel "
             f"{i.get('architecture') or '?'}, {i.get('num_threads')} threads"
             for i in threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(found) or "no BLAS library found"


def cpu_model() -> str:
    """The processor's model name (from /proc/cpuinfo on Linux, else the platform module)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown processor"


def machine_record() -> dict[str, object]:
    """What a stored experiment records of its machine: processor, cores, platform, Python, NumPy, torch.

    torch's version is recorded only if the caller has imported it already.
    """
    import numpy as np

    torch = sys.modules.get("torch")
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "numpy": np.__version__,
            **({"torch": torch.__version__} if torch is not None else {})}


def machine_description() -> str:
    """One line naming what a timing depends on: processor, cores, NumPy and its BLAS, torch.

    torch is named only if the caller has imported it already.
    """
    import numpy as np

    parts = [f"{cpu_model()}, {os.cpu_count()} cores", f"NumPy {np.__version__} ({blas_description()})"]
    torch = sys.modules.get("torch")
    if torch is not None:
        parts.append(f"torch {torch.__version__} ({torch.get_num_threads()} threads)")
    return "; ".join(parts)
