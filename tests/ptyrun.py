"""Run Tend in a real pseudo-terminal, as a person's terminal would (for signal tests)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class PtyProcess:
    """A child process on a pty of a given size; collects everything it writes."""

    def __init__(self, args: list[str], *, size: tuple[int, int] = (80, 24), env: dict[str, str] | None = None) -> None:
        self.output = bytearray()
        pid, fd = pty.fork()
        if pid == 0:  # the child
            # As a shell starts a program in a terminal: ctrl+c and ctrl+\ do what they usually
            # do, even when the suite itself was started where they are ignored (a background
            # job of a shell without job control passes SIG_IGN on, and Python keeps it).
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGQUIT, signal.SIG_DFL)
            os.chdir(ROOT)
            # COLUMNS and LINES (set in pytest-xdist's workers) would override the pty's size.
            inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
            environment = {**inherited, "TERM": "xterm-256color", **(env or {})}
            os.execvpe(args[0], args, environment)
        self.pid, self.fd = pid, fd
        columns, rows = size
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.status: int | None = None

    @classmethod
    def tend(cls, *args: str, **kwargs) -> PtyProcess:  # type: ignore[no-untyped-def]
        return cls([sys.executable, "-m", "app", *args], **kwargs)

    def close(self) -> None:
        """Close our end of the terminal, as a terminal window closing would."""
        os.close(self.fd)
        self.fd = -1

    def read_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        if self.fd < 0:
            time.sleep(seconds)
            return
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk

    def wait_for(self, text: bytes, timeout: float = 15) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return True
            self.read_for(0.1)
            if self.poll() is not None:
                return text in self.output
        return text in self.output

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def poll(self) -> int | None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status

    def wait_exit(self, timeout: float) -> float | None:
        """Seconds until the process ended, or None if it is still running after ``timeout``."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            self.read_for(0.05)
            if self.poll() is not None:
                return time.monotonic() - start
        return None

    def diagnosis(self) -> str:
        """Why a child may not be answering, for a failed test's message: its state and where
        the kernel has it waiting, its signal dispositions, and the terminal's modes."""
        facts = []
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
            facts += [line for line in status.splitlines() if line.split(":")[0] in ("State", "SigIgn", "SigBlk", "SigCgt", "SigPnd", "ShdPnd")]
            facts.append("wchan: " + Path(f"/proc/{self.pid}/wchan").read_text())
            stat_fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            facts.append(f"pgrp {stat_fields[2]} session {stat_fields[3]} tty_nr {stat_fields[4]} tpgid {stat_fields[5]}")
        except OSError as error:
            facts.append(f"/proc unreadable: {error}")
        try:
            lflag = termios.tcgetattr(self.fd)[3]
            facts.append(f"lflag ICANON={bool(lflag & termios.ICANON)} ECHO={bool(lflag & termios.ECHO)} ISIG={bool(lflag & termios.ISIG)}")
        except (OSError, termios.error) as error:
            facts.append(f"termios unreadable: {error}")
        return "; ".join(facts)

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
