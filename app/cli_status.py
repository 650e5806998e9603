"""``tend status``: the command around :mod:`app.status`.

It never imports Textual, never takes the lock and never writes (the store is opened with
:meth:`app.storage.Store.open_to_read`), and prints nothing at all, exit 0, when the data
folder does not exist yet. :func:`fast_status` runs ``tend status ...`` before the full
command line is built (its parser imports every export format), so a status bar that runs it
every few seconds pays only for what it shows.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # imported when a parser is built: the usual ``tend status`` needs none
    import argparse

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2

FIELDS = ("due", "overdue", "rituals", "colleague", "colleagues", "people", "next", "left",
          "next_session", "last_scan", "waiting", "line")  # fmt: skip
"""The fields ``--format`` takes (:data:`app.status.FIELDS`, spelled out here so that
``--help`` and a bad option cost no import of the data modules)."""

HELP = "one line of what needs you, for tmux or a shell prompt (--json for scripts)"


def add_status_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``tend status`` (shared by the full parser and the fast one)."""
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument(
        "--format", metavar="TEXT", default=None,
        help="your own layout, with fields in braces: " + ", ".join("{" + name + "}" for name in FIELDS),
    )
    shape.add_argument("--json", action="store_true", help="everything, as JSON (the schema is in docs/status.md)")
    parser.add_argument("--tmux", action="store_true", help="write # as ## so tmux shows names as they are")


@cache
def _status_parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class _StatusParser(argparse.ArgumentParser):
        """The fast path's parser: usage errors exit 2, with what was typed shown safely."""

        def error(self, message: str) -> NoReturn:
            from app.textclean import visible_message

            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, f"{self.prog}: error: {visible_message(message)}\n")

    return _StatusParser


_STATUS_FLAGS = {"--json": "json", "--tmux": "tmux"}
_STATUS_VALUES = {"--data": "data", "--format": "format"}


def plain_status_args(args: Sequence[str]) -> SimpleNamespace | None:
    """The options of ``tend status`` read without argparse (whose import and parser cost a
    status bar a few milliseconds on every run), for the plain forms only: each option at most
    once and spelled in full, ``--data DIR`` or ``--data=DIR``, ``--format TEXT`` or
    ``--format=TEXT``, ``--json``, ``--tmux``. Anything else (``--help``, an abbreviation, a
    value that is empty or starts with ``-``, ``--json`` with ``--format``, a word too many)
    gives None, and argparse reads it as ever, with its messages and exit 2."""
    found: dict[str, str | bool | None] = {"data": None, "format": None, "json": False, "tmux": False}
    seen: set[str] = set()
    index = 0
    while index < len(args):
        name, equals, value = args[index].partition("=")
        if name in seen:
            return None
        seen.add(name)
        if name in _STATUS_VALUES:
            if not equals:
                index += 1
                if index == len(args):
                    return None
                value = args[index]
            if not value or value.startswith("-"):
                return None
            found[_STATUS_VALUES[name]] = value
        elif name in _STATUS_FLAGS and not equals:
            found[_STATUS_FLAGS[name]] = True
        else:
            return None
        index += 1
    if found["json"] and found["format"] is not None:
        return None
    return SimpleNamespace(**found)


def fast_status(argv: Sequence[str] | None) -> int | None:
    """Run ``tend status ...`` (or completion's ``tend _names KIND``) at once; None for any
    other command line (``tend --data DIR status`` takes the ordinary way, a little slower)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("status", "_names"):
        return None
    if args[0] == "status" and (plain := plain_status_args(args[1:])) is not None:
        return run_status(plain)  # type: ignore[arg-type]  # the same names argparse gives
    parser = _status_parser_class()(prog=f"tend {args[0]}", description=HELP if args[0] == "status" else None)
    parser.add_argument("--data", metavar="DIR", default=None, help="the folder for Tend's data")
    if args[0] == "_names":
        parser.add_argument("kind", choices=NAME_KINDS)
        return run_names(parser.parse_args(args[1:]))
    add_status_arguments(parser)
    return run_status(parser.parse_args(args[1:]))


NAME_KINDS = ("rituals", "colleagues")
"""What ``tend _names`` lists, for completion."""


def run_names(args: argparse.Namespace) -> int:
    """One name a line, for completion; nothing (exit 0) when there is no data or it can't be
    read. Only looks, as ``tend status`` does."""
    from app.paths import resolve_data_dir
    from app.quick import colleague_candidates, ritual_candidates
    from app.storage import Store, StoreError
    from app.textclean import strip_controls

    try:
        store = Store.open_to_read(resolve_data_dir(getattr(args, "data", None)))
    except (StoreError, OSError, ValueError):
        return EXIT_OK
    if store is None:
        return EXIT_OK
    candidates = ritual_candidates(store) if args.kind == "rituals" else colleague_candidates(store)
    for name in sorted({strip_controls(c.name, multiline=False) for c in candidates}, key=str.casefold):
        if name and not name.startswith("-"):
            print(name)
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    from app.paths import PathError, resolve_data_dir, shown_path
    from app.status import FormatError, check_format
    from app.textclean import strip_controls, visible_message

    def problem(message: str, code: int) -> int:
        print(visible_message(f"tend status: {message}"), file=sys.stderr)
        return code

    if args.format is not None:
        try:
            check_format(args.format)
        except FormatError as error:
            return problem(str(error), EXIT_USAGE)
    try:
        root = resolve_data_dir(getattr(args, "data", None))
    except PathError as error:
        return problem(str(error), EXIT_USAGE)

    from app.storage import Store, StoreError

    try:
        store = Store.open_to_read(root)
    except StoreError as error:
        return problem(str(error), EXIT_PROBLEM)
    except OSError as error:
        return problem(f"Tend could not read {shown_path(root)}: {error.strerror or error}", EXIT_PROBLEM)
    if store is None:
        return EXIT_OK  # no data yet: nothing to say, and nothing on stderr either

    from app.glyphs import use_unicode
    from app.status import gather, line, needs_you, render, to_json

    snap = gather(store)
    if args.json:
        import orjson

        sys.stdout.write(orjson.dumps(to_json(snap)).decode() + "\n")
        return EXIT_OK
    if not needs_you(snap):
        return EXIT_OK
    separator = " · " if use_unicode() else " - "
    text = render(args.format, snap, separator=separator) if args.format is not None else line(snap, separator=separator)
    text = strip_controls(text, multiline=False)
    if not use_unicode():
        from app.glyphs import to_ascii

        text = to_ascii(text)
    if args.tmux:
        text = text.replace("#", "##")
    if text:
        sys.stdout.write(text + "\n")
    return EXIT_OK
