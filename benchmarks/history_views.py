"""Views of old history (issue 14): the key that opens a view to that view's first frame, at
make_data.py --scale 8 against --scale 1 (3 years).

    python benchmarks/history_views.py [--runs 5] [--scales 1 8]

In a real 80x24 pty (``_measure.Pty``), for each scale, the runs taking turns:

* **ritual detail**: ``tend --data DIR rituals``, its first frame, then enter on the first
  ritual; until the detail's footer ("Another day") has been written;
* **breathing**: ``tend --data DIR`` (Today), its first frame, then ``b``; until "In all"
  (the sessions of every year, counted from the tallies ``tend.json`` keeps of the history
  files) has been written;
* **scan history**: ``tend --data DIR scan``, its first frame, a whole quick scan (one key an
  item) and its summary, then ``h`` (the history's key, from a summary); until "Past scans"
  has been written. (When the older scans have filled in is not visible at 80x24 without
  another key: the list's last line says so. tests/test_history_views.py proves it happens.)

Each view is given a second after the screen before it appeared (a person reads before the
next key), then the key is sent and the clock starts. The issue's target: first frame
<= 0.5 s at x8. Medians of --runs after a warm-up (which also moves the records older than six
weeks into history files, as the first start of a split-store Tend does). The folders are
scratch copies of ``data_folder(n)`` (a finished scan is saved in each run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import FOOTER_MARKER, Figure, Pty, data_folder, interleaved, median, scratch_copy, table, tend_cmd

SCALES = (1, 8)
TARGET = 0.5
"""Seconds from the key to the view's first frame, at x8 (issue 14)."""
READ_FOR = 1.0
"""Seconds a person spends on the screen before the key (the screen settles meanwhile)."""
QUICK_SCAN = b"12301230" b"2" b"10203"
"""A whole quick scan, one key an item (as tests/test_scan_screen.py's QUICK_ROW)."""


def after_key(process: Pty, key: bytes, marker: bytes, *, timeout: float = 60) -> float:
    """Seconds from writing ``key`` to the pty until ``marker`` is in what the program wrote
    after it (checked at every read)."""
    process.output.clear()
    os.write(process.fd, key)
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if marker in process.output:
            return time.perf_counter() - started
        if not process.pump(0.05):
            break
    raise RuntimeError(f"{marker!r} never appeared; output tail: {bytes(process.output[-300:])!r}")


def opened(folder: Path, screen: tuple[str, ...], key: bytes, marker: bytes, *, first: tuple[bytes, bytes] | None = None) -> float:
    """Seconds from ``key`` to ``marker``, a second after ``screen``'s first frame (and
    after ``first``, a key and what it brings, when the view is reached from another)."""
    process = Pty(tend_cmd("--data", str(folder), *screen))
    try:
        process.wait_for(FOOTER_MARKER)
        if first is not None:
            process.drain(0.3)
            after_key(process, *first)
        process.drain(READ_FOR)
        return after_key(process, key, marker)
    finally:
        process.stop()


def ritual_detail(folder: Path) -> float:
    return opened(folder, ("rituals",), b"\r", b"Another day")


def scan_history(folder: Path) -> float:
    return opened(folder, ("scan",), b"h", b"Past scans", first=(QUICK_SCAN, b"Your scan,"))


def breathing_in_all(folder: Path) -> float:
    return opened(folder, (), b"b", b"In all")


def figures(runs: int, scales: tuple[int, ...] = SCALES) -> list[Figure]:
    folders = {n: scratch_copy(data_folder(n), f"history-views-x{n}") for n in scales}
    measures = {}
    for n, folder in folders.items():
        measures[f"detail x{n}"] = lambda f=folder: ritual_detail(f)
        measures[f"history x{n}"] = lambda f=folder: scan_history(f)
        measures[f"breathing x{n}"] = lambda f=folder: breathing_in_all(f)
    got = interleaved(runs, measures)
    base, top = f"x{scales[0]}", f"x{scales[-1]}"
    rows: list[Figure] = []
    for what, name in (("detail", "ritual detail: enter to first frame (s)"), ("history", "scan history: h to first frame (s)"),
                       ("breathing", "breathing: b to 'In all' drawn (s)")):
        at_top, at_base = median(got[f"{what} {top}"]), median(got[f"{what} {base}"])
        rows.append(Figure(f"{name}, {top} vs {base}", f"{at_top:.3f}", f"{at_base:.3f}", at_top / at_base,
                           f"<= {TARGET:.2f} s at {top}", at_top <= TARGET))  # fmt: skip
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    args = parser.parse_args()
    rows = figures(args.runs, tuple(args.scales))
    print(table(rows))
    return 1 if any(f.ok is False for f in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
