"""Run every benchmark of issue 9 and print one table (figure, Tend, baseline, ratio, target, result).

    python benchmarks/run_all.py            # the figures for the record (about 6 minutes)
    python benchmarks/run_all.py --quick    # fewer runs, for a look while working (about 3 minutes)
    python benchmarks/run_all.py --only startup save

Every figure is a ratio against a baseline measured in the same run on this machine, as the
median of several runs after a warm-up (see each script's docstring for what it measures).
Each benchmark runs in a fresh Python process.
Data folders are made once a day under $TMPDIR/tend-bench by make_data.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import breathing  # noqa: E402
from _measure import Figure, data_folder, median, table  # noqa: E402

FULL = {"startup": 7, "switch": 7, "save": 25, "breathing": 5, "idle": 5, "scale": 5, "history_views": 5}
QUICK = {"startup": 3, "switch": 3, "save": 11, "breathing": 3, "idle": 1, "scale": 3, "history_views": 3}
BREATHING_KB_S = {"normal": 3.0, "reduced": 0.5}
BREATHING_CPU = 3.0


def breathing_figures(runs: int, window: float) -> list[Figure]:
    got = breathing.windowed(runs, window)
    bare_bytes = median(b for b, _ in got["bare"])
    bare_cpu = median(c for _, c in got["bare"])
    rows = []
    for mode in ("normal", "reduced"):
        kb = median(b for b, _ in got[mode]) / 1000
        cpu = median(c for _, c in got[mode])
        rows.append(Figure(f"breathing, {mode}: KB/s", f"{kb:.2f}", f"{bare_bytes / 1000:.2f}", None, f"<= {BREATHING_KB_S[mode]:g} KB/s", kb <= BREATHING_KB_S[mode]))
        if mode == "normal":
            rows.append(Figure(f"breathing, {mode}: CPU %", f"{cpu:.2f}", f"{bare_cpu:.2f}", None, f"<= {BREATHING_CPU:g} %", cpu <= BREATHING_CPU))
        else:
            rows.append(Figure(f"breathing, {mode}: CPU %", f"{cpu:.2f}", f"{bare_cpu:.2f}", None, "(reported)", None))
    return rows


def machine(load_before: float) -> str:
    import textual

    return (
        f"{time.strftime('%Y-%m-%d')}, {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Textual {getattr(textual, '__version__', '?')}, "
        f"load average {load_before:.2f} before / {os.getloadavg()[0]:.2f} after"
    )


STEPS = {
    "startup": "startup.figures(runs, data_folder(1))",
    "switch": "switch.figures(runs, data_folder(1))",
    "save": "save.figures(runs, data_folder(1))",
    "breathing": "run_all.breathing_figures(runs, window)",
    "idle": "idle.figures(runs, 60.0, data_folder(1))",
    "scale": "scale.figures(runs)",
    "history_views": "history_views.figures(runs)",
}


def run_step(name: str, runs: int, window: float) -> list[Figure]:
    """One benchmark in a fresh Python process.

    In-process benchmarks leave things behind (the switch builds dozens of apps; caches and
    the heap grow), which slowed a save measured after them by half: each gets its own
    process.
    """
    code = (
        "import dataclasses, json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
        f"import {name}, run_all\n"
        "from _measure import data_folder\n"
        f"runs, window = {runs}, {window}\n"
        f"print(json.dumps([dataclasses.asdict(f) for f in {STEPS[name]}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    return [Figure(**fields) for fields in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs (not for the record)")
    parser.add_argument("--only", nargs="+", choices=list(FULL), help="run only these")
    args = parser.parse_args()
    runs = QUICK if args.quick else FULL
    chosen = args.only or list(FULL)
    load_before = os.getloadavg()[0]
    data_folder(1)  # made once, before anything is timed
    figures: list[Figure] = []
    window = 5.0 if args.quick else 8.0
    for name in chosen:
        began = time.perf_counter()
        print(f"... {name}", file=sys.stderr, flush=True)
        figures += run_step(name, runs[name], window)
        print(f"    {name} took {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    print(machine(load_before) + ("  (--quick)" if args.quick else ""))
    print(table(figures))
    misses = [f.name for f in figures if f.ok is False]
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
