"""``tend status`` with the 3-year data vs ``python -c "import pendulum, tinydb"``.

    python benchmarks/status.py [--runs 21] [--scale 1]

Both run as new processes (as a tmux status bar or a shell prompt runs them), with the same
interpreter and bytecode cache, alternating, timed from start to exit; medians after a
warm-up. CPU time (user + system, the kernel's count for the child) is shown as well: on a
busy shared machine it moves much less than the wall clock. The baseline is the floor any
Tend command pays (Python and the two libraries the store stands on); ``tend status`` adds
the rest of its imports, reading the data file and working out every ritual's and
colleague's state. Target: at most 1.5x.

``--before DIR`` also runs ``tend status`` from another checkout of Tend (``git archive
COMMIT | tar -x -C DIR``), in the same rounds, so a change is measured against the code
before it under the same load (a shared machine's load moves every figure by 10-20%).
``--projected`` adds ``tend status`` on a copy trimmed to what the split store's current
file would hold (issue 14, docs/storage.md; ``scale.window_only``): a projection of the
design, not the split store itself.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import PYTHON, ROOT, Figure, child_env, data_folder, interleaved, median, ratio_figure, table, tend_cmd

TARGET = 1.5


def timed(cmd: list[str], root: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``cmd`` as a new process (``root``: the
    checkout of Tend it imports, with its own bytecode cache; None for this one)."""
    env = child_env()
    if root is not None:
        env.update(PYTHONPATH=str(root), PYTHONPYCACHEPREFIX=env["PYTHONPYCACHEPREFIX"] + "-before")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # python -m looks in the working folder first: run each checkout from its own
    done = subprocess.run(cmd, env=env, cwd=root or ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def figures(runs: int, folder: Path, before: Path | None = None, *, projected: bool = False) -> list[Figure]:
    status = tend_cmd("status", "--data", str(folder))
    as_json = tend_cmd("status", "--json", "--data", str(folder))
    baseline = [PYTHON, "-c", "import pendulum, tinydb"]
    measures = {
        "status": lambda: timed(status),
        "json": lambda: timed(as_json),
        "baseline": lambda: timed(baseline),
    }
    if before is not None:
        measures["before"] = lambda: timed(status, before)
    if projected:
        from scale import window_only

        window = tend_cmd("status", "--data", str(window_only(folder)))
        measures["window"] = lambda: timed(window)
    results = interleaved(runs, measures)

    def wall(name: str) -> float:
        return median(wall for wall, _ in results[name])

    def cpu(name: str) -> float:
        return median(cpu for _, cpu in results[name])

    found = [
        ratio_figure("tend status, 3y (s)", wall("status"), wall("baseline"), TARGET),
        ratio_figure("tend status --json, 3y (s)", wall("json"), wall("baseline"), TARGET),
        ratio_figure("  same, CPU user+sys (s)", cpu("status"), cpu("baseline"), TARGET),
    ]
    if before is not None:
        found += [
            ratio_figure("  --before: tend status (s)", wall("before"), wall("baseline"), TARGET),
            ratio_figure("  --before: CPU user+sys (s)", cpu("before"), cpu("baseline"), TARGET),
        ]
    if projected:
        found += [
            ratio_figure("  --projected: current file (s)", wall("window"), wall("baseline"), TARGET),
            ratio_figure("  --projected: CPU user+sys (s)", cpu("window"), cpu("baseline"), TARGET),
        ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--before", type=Path, default=None, metavar="DIR", help="another checkout of Tend to measure in the same rounds")
    parser.add_argument("--projected", action="store_true", help="also on a copy trimmed to the split store's current file")
    args = parser.parse_args()
    print(table(figures(args.runs, data_folder(args.scale), args.before, projected=args.projected)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
