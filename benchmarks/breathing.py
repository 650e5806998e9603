"""How much the breathing exercise sends to the terminal, and how much CPU it uses.

Runs ``tend breathe --pattern box --minutes 1`` in a real pseudo-terminal of 80x24 for 30 s,
once in normal mode and once with reduced motion, and a bare Textual app (Header, Static,
Footer) the same way, then prints bytes per second and CPU per cent of one core for each.

"steady" figures leave out the first few seconds (start-up draws the whole screen once and
imports Python modules); "whole run" figures include them. The budget in issue 3 is for the
steady state: at most 3 KB/s and 3 % CPU in normal mode, at most 0.5 KB/s with reduced motion.

Usage (from the repository root; takes about 2 minutes)::

    python benchmarks/breathing.py [--seconds 30] [--warmup 3]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import math
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS, ROWS = 80, 24

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Header()
            yield Static("A bare Textual app, for comparison.")
            yield Footer()

    Bare().run(mouse=False)
    """
)


@dataclass
class Figures:
    """What one run measured."""

    label: str
    seconds: float
    total_bytes: int
    steady_bytes: int
    steady_seconds: float
    total_cpu: float
    steady_cpu: float

    def row(self) -> str:
        whole = self.total_bytes / self.seconds
        steady = self.steady_bytes / self.steady_seconds
        return (
            f"{self.label:<28} {steady:>9.0f} B/s {100 * self.steady_cpu / self.steady_seconds:>7.2f} %"
            f"   {whole:>9.0f} B/s {100 * self.total_cpu / self.seconds:>7.2f} %"
        )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def measure(label: str, argv: list[str], *, seconds: float, warmup: float, env: dict[str, str]) -> Figures:
    """Run ``argv`` on an 80x24 pty for ``seconds`` and count what it writes."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    start = time.monotonic()
    total = 0
    warm_bytes = 0
    warm_cpu = 0.0
    warm_at: float | None = None
    while (now := time.monotonic()) - start < seconds:
        if warm_at is None and now - start >= warmup:
            warm_at, warm_bytes, warm_cpu = now, total, _cpu_seconds(pid)
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            total += len(chunk)
    end = time.monotonic()
    end_cpu = _cpu_seconds(pid)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        select.select([fd], [], [], 0.05)
        try:
            os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    assert warm_at is not None, f"{label}: the program ended before the warm-up was over"
    return Figures(
        label=label,
        seconds=end - start,
        total_bytes=total,
        steady_bytes=total - warm_bytes,
        steady_seconds=end - warm_at,
        total_cpu=end_cpu,
        steady_cpu=end_cpu - warm_cpu,
    )


def data_folder(root: Path, name: str, *, reduced_motion: bool) -> Path:
    """A fresh Tend data folder with the motion setting chosen."""
    sys.path.insert(0, str(ROOT))
    from app.storage import Store

    folder = root / name
    Store.open(folder).update_settings(welcomed=True, reduced_motion=reduced_motion, bell=False)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each run (default 30)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds left out of the steady figures (default 3)")
    options = parser.parse_args()

    env = {key: value for key, value in os.environ.items() if key not in {"NO_COLOR", "COLORTERM", "TEXTUAL"}}
    env.update({"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)})
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="tend-bench-") as tmp:
        root = Path(tmp)
        normal = data_folder(root, "normal", reduced_motion=False)
        reduced = data_folder(root, "reduced", reduced_motion=True)
        bare = root / "bare.py"
        bare.write_text(BARE_APP)
        tend = [python, "-m", "app", "breathe", "--pattern", "box", "--minutes", "1", "--data"]
        runs = [
            ("tend breathe (normal)", [*tend, str(normal)]),
            ("tend breathe (reduced motion)", [*tend, str(reduced)]),
            ("bare Textual app", [python, str(bare)]),
        ]
        print(f"{options.seconds:g} s per run at {COLUMNS}x{ROWS}, TERM={env['TERM']}, steady = after {options.warmup:g} s")
        print(f"{'':<28} {'steady':>13} {'cpu':>9}   {'whole run':>13} {'cpu':>9}")
        for label, argv in runs:
            figures = measure(label, argv, seconds=options.seconds, warmup=options.warmup, env=env)
            print(figures.row(), flush=True)


# --------------------------------------------------------------------------- for run_all.py


def windowed(runs: int = 5, window: float = 8.0, warmup: float = 4.0) -> dict[str, list[tuple[float, float]]]:
    """(bytes/s, CPU %) of ``runs`` back-to-back windows for each program, after ``warmup`` s.

    The three programs run side by side (each uses a few per cent of one core), so the
    windows of one program are its runs; the exercise is long enough to cover them all.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _measure import BENCH_ROOT, Pty, child_env

    minutes = max(1, math.ceil((warmup + runs * window + 10) / 60))
    root = BENCH_ROOT / "breathing"
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    normal = data_folder(root, "normal", reduced_motion=False)
    reduced = data_folder(root, "reduced", reduced_motion=True)
    bare = root / "bare.py"
    bare.write_text(BARE_APP)
    python = sys.executable
    tend = [python, "-m", "app", "breathe", "--pattern", "box", "--minutes", str(minutes), "--data"]
    programs = {"normal": [*tend, str(normal)], "reduced": [*tend, str(reduced)], "bare": [python, str(bare)]}
    env = child_env({"COLUMNS": str(COLUMNS), "LINES": str(ROWS)})
    live = {name: Pty(argv, env) for name, argv in programs.items()}
    try:
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
        end = time.perf_counter() + warmup
        while time.perf_counter() < end:
            for process in live.values():
                process.pump(0.01)
        for _ in range(runs):
            start = {name: (p.bytes, p.cpu_seconds()) for name, p in live.items()}
            began = time.perf_counter()
            end = began + window
            while time.perf_counter() < end:
                for process in live.values():
                    process.pump(0.01)
            took = time.perf_counter() - began
            for name, process in live.items():
                bytes0, cpu0 = start[name]
                results[name].append(((process.bytes - bytes0) / took, 100 * (process.cpu_seconds() - cpu0) / took))
        return results
    finally:
        for process in live.values():
            process.stop()


if __name__ == "__main__":
    main()
