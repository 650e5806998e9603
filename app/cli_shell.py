"""The commands for the shell, beside the screens: ``tend status``, the quick actions
(``done``, ``skip``, ``log``, ``next``, ``undo``) and ``tend completion``.

:func:`add_commands` adds them to ``tend``'s parser and :func:`run` runs one; ``app.cli``
only calls these two. None of them draws a screen or imports Textual. The quick actions open
the store as the app does (the same lock, with the same "Waiting for another Tend" line);
``status`` and the hidden ``_names`` (what completion offers) only read
(:meth:`app.storage.Store.open_to_read`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli_status import HELP as STATUS_HELP
from app.cli_status import NAME_KINDS, add_status_arguments, run_names, run_status

if TYPE_CHECKING:
    from app.storage import Store

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

COMMANDS = ("status", "done", "skip", "log", "next", "undo", "completion", "_names")
"""The commands this module adds and runs."""


def _complete_names(kind: str) -> dict[str, Any]:
    """shtab's ``.complete`` for a ritual or colleague name: asks ``tend _names KIND`` as the
    person types, so names added a minute ago complete too. One name a line (names have
    spaces); bash and zsh quote what they insert."""
    function = f"_tend_names_{kind}"
    return {
        "bash": function,
        "zsh": function,
        "fish": f"(tend _names {kind} 2>/dev/null)",
        "preamble": {
            "bash": (
                f"{function}() {{\n"
                "  local name\n"
                "  while IFS= read -r name; do\n"
                '    [[ "${name,,}" == "${1,,}"* ]] && printf \'%q\\n\' "$name"\n'
                f"  done < <(tend _names {kind} 2>/dev/null)\n"
                "}\n"
            ),
            "zsh": (
                f"{function}() {{\n"
                "  local -a names\n"
                f"  names=(${{(f)\"$(tend _names {kind} 2>/dev/null)\"}})\n"
                "  compadd -a names\n"
                "}\n"
            ),
        },
    }


def add_commands(sub: Any, add_common: Callable[..., None]) -> None:
    """Add this module's commands to ``tend``'s subparsers (``add_common`` adds ``--data``)."""
    status = sub.add_parser("status", help=STATUS_HELP, description=STATUS_HELP)
    add_common(status, top=False)
    add_status_arguments(status)

    done = sub.add_parser("done", help="mark a ritual done (today, or --day)")
    add_common(done, top=False)
    named = done.add_argument("ritual", metavar="RITUAL", help="its name, or the start of it (any case)")
    named.complete = _complete_names("rituals")  # shtab reads .complete
    done.add_argument("--day", metavar="DAY", default=None, help="the day you did it (yesterday, monday, 2026-11-20)")

    skip = sub.add_parser("skip", help="skip a ritual today, kindly (your streak is safe)")
    add_common(skip, top=False)
    named = skip.add_argument("ritual", metavar="RITUAL", help="its name, or the start of it (any case)")
    named.complete = _complete_names("rituals")  # shtab reads .complete
    skip.add_argument("--reason", metavar="TEXT", default="", help="a few words, if you like (away, unwell)")

    log = sub.add_parser("log", help="log a contact with a colleague")
    add_common(log, top=False)
    named = log.add_argument("colleague", metavar="COLLEAGUE", help="their name or the name they go by, or the start of it")
    named.complete = _complete_names("colleagues")  # shtab reads .complete
    from app.quick import KIND_WORDS

    log.add_argument(
        "--kind", metavar="KIND", default=None, choices=sorted(k for k in KIND_WORDS if " " not in k and "/" not in k),
        help="message, call, walk, coffee, debrief, supervision, consultation or other (default: from their role)",
    )
    log.add_argument("--when", metavar="WHEN", default="", help="when it was (now, yesterday, 2 hours ago, 2026-11-20 14:30)")
    log.add_argument("--note", metavar="TEXT", default="", help="a few words, if you like")

    nxt = sub.add_parser("next", help="say when your next session starts (14:50, 12m); Today counts down")
    add_common(nxt, top=False)
    nxt.add_argument("time", metavar="TIME", nargs="?", default=None, help="14:50, 2:50pm, 12m or 'in 12 min'")
    nxt.add_argument("--clear", action="store_true", help="no next session for now")

    undo = sub.add_parser("undo", help="take back the last done, skip, log or next")
    add_common(undo, top=False)

    completion = sub.add_parser("completion", help="print shell completion for bash, zsh or fish")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell to complete in")

    names = sub.add_parser("_names")  # no help: hidden from --help and from completion
    add_common(names, top=False)
    names.add_argument("kind", choices=NAME_KINDS)


def run(command: str, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run one of :data:`COMMANDS`; returns the exit code."""
    if command == "status":
        return run_status(args)
    if command == "completion":
        from app.cli_completion import script

        sys.stdout.write(script(parser, args.shell))
        return EXIT_OK
    if command == "_names":
        return run_names(args)
    return _run_quick(command, args)


def _say(message: str, *, error: bool = False) -> None:
    from app.textclean import visible_message

    print(visible_message(message), file=sys.stderr if error else sys.stdout)


def _data_dir(args: argparse.Namespace) -> Any:
    from app.paths import resolve_data_dir

    return resolve_data_dir(getattr(args, "data", None))


def _waiting() -> None:
    _say("Waiting for another Tend to finish saving...", error=True)
    sys.stderr.flush()


def _open(args: argparse.Namespace) -> Store:
    from app.storage import Store

    store = Store.open(_data_dir(args), on_lock_wait=_waiting)
    for warning in store.warnings + store.notices + store.backup_remarks:
        _say(warning, error=True)
    return store


def _run_quick(command: str, args: argparse.Namespace) -> int:
    from app.breaks import UntilError
    from app.quick import NothingToUndo, Unmatched
    from app.storage import StoreError
    from app.when import WhenError

    if command == "next" and (args.time is None) == (not args.clear):
        _say("tend next: give the time your next session starts (14:50, 12m), or --clear.", error=True)
        return EXIT_USAGE
    if command == "next" and args.time is not None and args.time.strip().casefold() in ("clear", "none", "off", "cancel", "no"):
        _say("tend next: to take the next session away, write it as an option: tend next --clear", error=True)
        return EXIT_USAGE
    try:
        store = _open(args)
        _say(_quick(command, args, store))
    except Unmatched as error:
        _say(f"tend {command}: {error}", error=True)
        for name in error.candidates:
            _say(f"  {name}", error=True)
        return EXIT_USAGE
    except (WhenError, UntilError) as error:
        _say(f"tend {command}: {error}", error=True)
        return EXIT_USAGE
    except NothingToUndo:
        _say("Nothing to undo just now.", error=True)
        return EXIT_PROBLEM
    except StoreError as error:
        _say(f"tend {command}: {error}", error=True)
        return EXIT_PROBLEM
    except KeyboardInterrupt:  # every change is one transaction: all or nothing
        _say(f"\ntend {command}: stopped; nothing was changed.", error=True)
        return EXIT_INTERRUPTED
    return EXIT_OK


def _quick(command: str, args: argparse.Namespace, store: Store) -> str:
    """Do one quick action; returns the sentence to print."""
    import pendulum

    from app import quick

    if command in ("done", "skip"):
        ritual = quick.match(args.ritual, quick.ritual_candidates(store), "ritual",
                             archived=quick.ritual_candidates(store, archived=True))
        today = pendulum.today().date()
        if command == "skip":
            reason, cut = _kept(args.reason, "reason")
            return quick.mark(store, ritual, today, "skipped", reason) + cut
        from app.rituals import too_far_back
        from app.when import WhenError, parse_day

        day = parse_day(args.day, today) if args.day else today
        refused = too_far_back(day, today)  # as the rituals screen refuses it: nearly always a slip of the year
        if refused:
            raise WhenError(refused)
        return quick.mark(store, ritual, day, "done")
    if command == "log":
        from app.when import parse_when

        person = quick.match(args.colleague, quick.colleague_candidates(store), "colleague",
                             archived=quick.colleague_candidates(store, archived=True))
        kind = quick.read_kind(args.kind) if args.kind else None
        when = parse_when(args.when)
        note, cut = _kept(args.note, "note")
        return quick.log_contact(store, person, when, kind, note) + cut
    if command == "next":
        from app.breaks import parse_until

        return quick.set_next_session(store, None if args.clear else parse_until(args.time))
    return quick.undo_last(store)


QUICK_TEXT_LIMIT = 240
"""The most of a reason or note a quick action keeps (a line in the shell, not a letter)."""


def _kept(text: str | None, what: str) -> tuple[str, str]:
    """``text`` as a quick action keeps it, and a sentence saying so when it was cut: never
    shortened without a word."""
    from app.textclean import clean_text

    whole = clean_text(text or "", limit=len(text or "") + 1)
    kept = clean_text(text or "", limit=QUICK_TEXT_LIMIT)
    if len(whole) <= len(kept):
        return kept, ""
    return kept, f" The {what} was cut to its first {len(kept)} characters; a longer one fits in Tend itself."
