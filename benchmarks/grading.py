"""Grading time of a hiring notebook: sandboxed vs not (median of 5), and a batch.

    .venv/bin/python benchmarks/grading.py [--exercise growth_analyst] [--repeat 5]

The baseline is the same grading without the sandbox, run in the same process: the
ratio is what the isolation costs. Both gradings must give the same score (100 %, the
reference notebook).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from opshelpers import assess

SECRET = "benchmark-secret-0123456789abcdef"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--exercise", default="growth_analyst")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sol = assess.solution_package(args.exercise, "b000", SECRET, tmp) / "exercise.ipynb"
        times = {}
        for sandboxed in (True, False):
            runs = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                r = assess.grade(sol, "b000", SECRET, use_sandbox=sandboxed)
                runs.append(time.perf_counter() - start)
                assert r["score"] == 1.0, r["problems"]
            times[sandboxed] = statistics.median(runs)
        subs = tmp / "subs"
        subs.mkdir()
        for i in range(args.batch):
            c = f"b{i:03d}"
            nb = assess.solution_package(args.exercise, c, SECRET, tmp / "sol")
            (subs / f"{c}.ipynb").write_bytes((nb / "exercise.ipynb").read_bytes())
        start = time.perf_counter()
        table = assess.grade_batch(subs, args.exercise, SECRET, tmp / "out" / "scores.csv",
                                   jobs=args.jobs)
        batch = time.perf_counter() - start
        assert (table["score"] == 1.0).all(), table
    print(f"{args.exercise}: grading one notebook, median of {args.repeat}: "
          f"{times[True]:.2f} s in the sandbox, {times[False]:.2f} s without "
          f"(×{times[True] / times[False]:.2f}); batch of {args.batch} with -j {args.jobs}: "
          f"{batch:.1f} s ({batch / args.batch:.2f} s per notebook)")


if __name__ == "__main__":
    main()
