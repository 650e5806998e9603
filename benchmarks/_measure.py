"""Shared helpers for the benchmarks: data folders, a real pty, timing, memory, CPU, the table.

Every figure is a ratio against a baseline measured in the same run, as the median of several
runs after a warm-up. Child processes get a bytecode cache (``PYTHONPYCACHEPREFIX`` in a temp
folder) even when ``PYTHONDONTWRITEBYTECODE`` is set, so Tend starts as an installed copy
would (pip writes .pyc files on install) and not recompiling itself on every start.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
COLUMNS, ROWS = 80, 24
BENCH_ROOT = Path(tempfile.gettempdir()) / "tend-bench"
FOOTER_MARKER = b"palette"
"""The last thing the footer draws (Tend's and the bare app's): the first frame is complete."""

Row = tuple[str, str, str, str, str, str]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a measured program: a real terminal type, a bytecode cache."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE", "NO_COLOR", "TEXTUAL", "COLORTERM"}}
    env.update(
        {
            "TERM": "xterm-256color",
            "PYTHONPYCACHEPREFIX": str(BENCH_ROOT / "pycache"),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra or {})
    return env


def tend_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "app", *args]


def bare_cmd() -> list[str]:
    return [PYTHON, str(ROOT / "benchmarks" / "bare_app.py")]


# --------------------------------------------------------------------------- data folders


def data_folder(scale: int = 1, *, years: int = 3) -> Path:
    """A data folder made by make_data.py (kept between runs, remade each new day).

    The data is dated relative to today, so a folder from another day would put "today" in a
    different place in it; it is remade then.
    """
    folder = BENCH_ROOT / f"data-{years}y-x{scale}"
    stamp = folder / ".made-on"
    today = time.strftime("%Y-%m-%d")
    if not (folder / "tend.json").exists() or not stamp.exists() or stamp.read_text() != today:
        subprocess.run(
            [PYTHON, str(ROOT / "benchmarks" / "make_data.py"), "--data", str(folder), "--years", str(years), "--scale", str(scale), "--force"],
            check=True,
            capture_output=True,
        )
        stamp.write_text(today)
    return folder


def empty_folder(name: str = "empty") -> Path:
    """A fresh data folder with nothing in it but settings (welcomed, starters already offered)."""
    from app.storage import Store

    folder = BENCH_ROOT / name
    shutil.rmtree(folder, ignore_errors=True)
    Store.open(folder).update_settings(welcomed=True, starters_offered=True)
    return folder


def scratch_copy(source: Path, name: str) -> Path:
    """A copy of a data folder that a benchmark may change."""
    target = BENCH_ROOT / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    os.chmod(target, 0o700)
    return target


def file_size(folder: Path) -> int:
    return (folder / "tend.json").stat().st_size


# --------------------------------------------------------------------------- a real pty


class Pty:
    """A program on an 80x24 pseudo-terminal; counts what it writes, reads its /proc figures."""

    def __init__(self, cmd: list[str], env: dict[str, str] | None = None) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            try:
                os.chdir(ROOT)
                os.execvpe(cmd[0], cmd, env or child_env())
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.output = bytearray()
        self.bytes = 0

    def pump(self, timeout: float) -> bool:
        """Read what is waiting (up to ``timeout`` s for something). False once the program ended."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        self.bytes += len(chunk)
        if len(self.output) < 1 << 20:
            self.output += chunk
        return True

    def wait_for(self, marker: bytes, timeout: float = 30) -> float:
        """Seconds from the start until ``marker`` has been written (checked at every read)."""
        deadline = time.perf_counter() + timeout
        seen = 0
        while time.perf_counter() < deadline:
            if marker in self.output[max(0, seen - len(marker)) :]:
                return time.perf_counter() - self.started
            seen = len(self.output)
            if not self.pump(0.5):
                break
        if marker in self.output:
            return time.perf_counter() - self.started
        raise RuntimeError(f"{marker!r} never appeared; output tail: {bytes(self.output[-400:])!r}")

    def drain(self, seconds: float) -> None:
        """Keep reading for ``seconds`` (so the program never blocks on a full pty)."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            if not self.pump(min(left, 0.2)):
                time.sleep(max(0.0, end - time.perf_counter()))
                return

    def peak_rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def first_frame(cmd: list[str], marker: bytes = FOOTER_MARKER, *, settle: float = 0.3) -> tuple[float, int]:
    """Seconds from process start until the first frame is complete, and peak RSS (kB) just after."""
    process = Pty(cmd)
    try:
        took = process.wait_for(marker)
        process.drain(settle)  # let the first refresh finish before reading memory
        return took, process.peak_rss_kb()
    finally:
        process.stop()


# --------------------------------------------------------------------------- statistics and the table


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def interleaved(runs: int, measures: dict[str, Callable[[], Any]], warmup: int = 1) -> dict[str, list[Any]]:
    """Run each measure ``warmup`` times, then ``runs`` rounds taking turns (so drift hits all)."""
    for _ in range(warmup):
        for measure in measures.values():
            measure()
    results: dict[str, list[Any]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            results[name].append(measure())
    return results


@dataclass
class Figure:
    """One row of the table."""

    name: str
    tend: str
    baseline: str
    ratio: float | None
    target: str
    ok: bool | None
    """None: reported, no target."""

    def row(self) -> Row:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}x"
        result = "-" if self.ok is None else ("pass" if self.ok else "MISS")
        return (self.name, self.tend, self.baseline, ratio, self.target, result)


def ratio_figure(name: str, tend: float, baseline: float, limit: float, fmt: str = "{:.3f}") -> Figure:
    ratio = tend / baseline if baseline else float("inf")
    return Figure(name, fmt.format(tend), fmt.format(baseline), ratio, f"<= {limit:.2f}x", ratio <= limit)


def table(figures: Iterable[Figure | Row]) -> str:
    rows = [f.row() if isinstance(f, Figure) else f for f in figures]
    head: Row = ("figure", "Tend", "baseline", "ratio", "target", "result")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(6)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)

