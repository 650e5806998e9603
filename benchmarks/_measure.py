"""Shared helpers for the benchmarks: run a command in a real pty, time it, read its memory."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ptyrun import PtyProcess  # noqa: E402

PYTHON = sys.executable


def tend_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "app", *args]


def bare_cmd() -> list[str]:
    return [PYTHON, str(ROOT / "benchmarks" / "bare_app.py")]


def peak_rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def first_frame(cmd: list[str], marker: bytes, *, env: dict[str, str] | None = None, timeout: float = 20) -> tuple[float, int]:
    """Seconds from process start until ``marker`` (drawn last in the first frame) appears, and peak RSS (kB)."""
    start = time.perf_counter()
    process = PtyProcess(cmd, env=env)
    try:
        if not process.wait_for(marker, timeout=timeout):
            raise RuntimeError(f"{marker!r} never appeared; output tail: {bytes(process.output[-400:])!r}")
        took = time.perf_counter() - start
        process.read_for(0.3)  # let the first refresh finish before reading memory
        return took, peak_rss_kb(process.pid)
    finally:
        process.kill()


def median_of(runs: int, measure: Callable[[], float], warmup: int = 1) -> float:
    for _ in range(warmup):
        measure()
    return statistics.median(measure() for _ in range(runs))


def table(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    head = ("figure", "Tend", "baseline", "ratio", "target", "result")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(6)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
