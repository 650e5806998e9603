"""Where the ``tend`` command (and ``python -m app``) starts: ``tend status`` and ``tend
_names`` run from :mod:`app.cli_status` before :mod:`app.cli` is imported (it imports the
screens' modes: about 15 ms of CPU a run, see benchmarks/README.md); every other command
line goes on to :func:`app.cli.main`. A module of its own, so neither of those two imports
the other's caller (no import circle)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from app.cli_status import fast_status


EXIT_BROKEN_PIPE = 141
"""What a shell reports for a command whose reader went away (128 + SIGPIPE), as for ``yes | head``."""


def main(argv: Sequence[str] | None = None) -> int:
    """The ``tend`` command. A reader that stops early (``tend status | head -c 20``,
    ``tend config --keys | head``) ends it quietly, never with a traceback."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # Python's own advice: point standard output at /dev/null so that the flush at exit
        # does not fail a second time, then end.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None) -> int:
    """The fast path for ``status`` and ``_names``, else the full command line."""
    code = fast_status(argv)
    if code is not None:
        import gc

        # The process ends now: the interpreter's last collection would walk every object of
        # the file just read (a hundred thousand for three years) only to free them as the
        # process exits. Frozen, they are left to the operating system (gc.freeze, public).
        gc.freeze()
        return code
    from app.cli import main as full_main

    return full_main(argv)
