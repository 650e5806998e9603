"""Idle: bytes sent and CPU seconds over 60 s on Today (3-year data), beside a bare Textual app.

    python benchmarks/idle.py [--runs 5] [--seconds 60]

Each run starts Tend and the bare app side by side in real 80x24 ptys, waits until both have
drawn their first frame and 3 s more (start-up work is over), then counts for --seconds what
each writes to its terminal and the CPU time it uses. All runs go at once (they are idle, so
they do not get in each other's way), so the whole thing takes about --seconds + 10 s. Any
60 s window holds exactly one of Today's once-a-minute wake-ups.

Target: Today sends nothing while nothing on it changes (at most one line, when the greeting
or the date changes at that minute), and its CPU time is within 0.1 s of the bare app's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Figure, FOOTER_MARKER, Pty, bare_cmd, data_folder, median, table, tend_cmd  # noqa: E402

SETTLE = 3.0
BYTES_ALLOWED = 200
"""One line of text redrawn (the greeting at 12:00, 17:00...): the only change there may be."""
CPU_ALLOWED = 0.1


def measure(runs: int, seconds: float, data: Path) -> dict[str, list[tuple[int, float]]]:
    """(bytes, CPU seconds) of each run of each program over ``seconds``."""
    programs = {"tend": tend_cmd("--data", str(data)), "bare": bare_cmd()}
    live: list[tuple[str, Pty]] = []
    try:
        for _ in range(runs):
            for name, cmd in programs.items():
                live.append((name, Pty(cmd)))
        for _, process in live:
            process.wait_for(FOOTER_MARKER, timeout=60)
        end = time.perf_counter() + SETTLE
        while time.perf_counter() < end:
            for _, process in live:
                process.pump(0.01)
        start = [(process.bytes, process.cpu_seconds()) for _, process in live]
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            for _, process in live:
                process.pump(0.02)
        results: dict[str, list[tuple[int, float]]] = {name: [] for name in programs}
        for (name, process), (bytes0, cpu0) in zip(live, start):
            results[name].append((process.bytes - bytes0, process.cpu_seconds() - cpu0))
        return results
    finally:
        for _, process in live:
            process.stop()


def figures(runs: int, seconds: float = 60.0, data: Path | None = None) -> list[Figure]:
    results = measure(runs, seconds, data or data_folder(1))
    tend_bytes = median(b for b, _ in results["tend"])
    bare_bytes = median(b for b, _ in results["bare"])
    tend_cpu = median(c for _, c in results["tend"])
    bare_cpu = median(c for _, c in results["bare"])
    span = f"{seconds:g} s"
    return [
        Figure(f"idle on Today, bytes in {span}", f"{tend_bytes:.0f}", f"{bare_bytes:.0f}", None, f"<= {BYTES_ALLOWED} more", tend_bytes - bare_bytes <= BYTES_ALLOWED),
        Figure(f"idle on Today, CPU s in {span}", f"{tend_cpu:.2f}", f"{bare_cpu:.2f}", None, f"<= {CPU_ALLOWED} s more", tend_cpu - bare_cpu <= CPU_ALLOWED),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    print(table(figures(args.runs, args.seconds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
