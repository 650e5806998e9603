"""Run every benchmark of issue 9 and print one table (figure, Tend, baseline, ratio, target, result).

    python benchmarks/run_all.py            # the figures for the record (about 6 minutes)
    python benchmarks/run_all.py --quick    # fewer runs, for a look while working (about 3 minutes)
    python benchmarks/run_all.py --only startup save

Every figure is a ratio against a baseline measured in the same run on this machine, as the
median of several runs after a warm-up (see each script's docstring for what it measures).
Data folders are made once a day under $TMPDIR/tend-bench by make_data.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import breathing  # noqa: E402
import idle  # noqa: E402
import save  # noqa: E402
import scale  # noqa: E402
import startup  # noqa: E402
import switch  # noqa: E402
from _measure import Figure, data_folder, median, table  # noqa: E402

FULL = {"startup": 7, "switch": 7, "save": 25, "breathing": 5, "idle": 5, "scale": 5}
QUICK = {"startup": 3, "switch": 3, "save": 11, "breathing": 3, "idle": 1, "scale": 3}
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs (not for the record)")
    parser.add_argument("--only", nargs="+", choices=list(FULL), help="run only these")
    args = parser.parse_args()
    runs = QUICK if args.quick else FULL
    chosen = args.only or list(FULL)
    load_before = os.getloadavg()[0]
    data = data_folder(1)
    figures: list[Figure] = []
    steps = {
        "startup": lambda: startup.figures(runs["startup"], data),
        "switch": lambda: switch.figures(runs["switch"], data),
        "save": lambda: save.figures(runs["save"], data),
        "breathing": lambda: breathing_figures(runs["breathing"], 5.0 if args.quick else 8.0),
        "idle": lambda: idle.figures(runs["idle"], 60.0, data),
        "scale": lambda: scale.figures(runs["scale"]),
    }
    for name in chosen:
        began = time.perf_counter()
        print(f"... {name}", file=sys.stderr, flush=True)
        figures += steps[name]()
        print(f"    {name} took {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    print(machine(load_before) + ("  (--quick)" if args.quick else ""))
    print(table(figures))
    misses = [f.name for f in figures if f.ok is False]
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
