"""Run ``tend`` with a fake clock for the plain modes, in a child process (a real pty).

``python -m tests.plain_driver breathe --plain ...``: the same ``app.cli.main``, except that
:mod:`app.plain` waits on a fake clock, so the whole session takes no real time.
``PLAIN_BLOCK_AFTER=N`` makes the N-th wait block until a signal arrives (ctrl+c), so a test
can stop a session part-way through without sleeping.
"""

from __future__ import annotations

import os
import signal
import sys

from app import cli, plain


class FakeTime:
    def __init__(self, block_after: int | None) -> None:
        self.now = 1000.0
        self.waits = 0
        self.block_after = block_after

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits += 1
        if self.block_after is not None and self.waits >= self.block_after:
            signal.pause()  # until ctrl+c
        self.now += seconds


def main() -> int:
    block = os.environ.get("PLAIN_BLOCK_AFTER")
    fake = FakeTime(int(block) if block else None)
    plain.CLOCK, plain.SLEEP = fake.clock, fake.sleep
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
