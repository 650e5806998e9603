"""Where the ``tend`` command (and ``python -m app``) starts: ``tend status`` and ``tend
_names`` run from :mod:`app.cli_status` before :mod:`app.cli` is imported (it imports the
screens' modes: about 15 ms of CPU a run, see benchmarks/README.md); every other command
line goes on to :func:`app.cli.main`. A module of its own, so neither of those two imports
the other's caller (no import circle)."""

from __future__ import annotations

from collections.abc import Sequence

from app.cli_status import fast_status


def main(argv: Sequence[str] | None = None) -> int:
    """The ``tend`` command: the fast path for ``status`` and ``_names``, else the full one."""
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
