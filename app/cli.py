"""The ``tend`` command line.

``tend`` opens Today; ``tend <screen>`` opens that screen (one subcommand per entry of
:data:`app.modes.MODES`);
``tend export`` and ``tend import`` move data in and out. Textual is imported only when a
screen is actually drawn, so ``--help``, ``--version`` and export stay quick.
"""

from __future__ import annotations

import argparse
import gc
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app import __version__
from app.modes import DEFAULT_MODE, MODES, StartOptions

if TYPE_CHECKING:
    from app.config import Config, KeyCheck
    from app.storage import Store

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

DESCRIPTION = (
    "Tend: a quiet companion for the minutes between sessions — a body scan, a breathing "
    "reset, the colleagues you lean on, and the rituals that keep you going."
)

EPILOG_DATA = """\
data:
  tend doctor [--fix]   check the data folder, the file and the terminal
  tend export FILE [--format json|csv|ics|vcf] [--force]
                        (the format follows FILE's extension: .json .csv .ics .vcf)
  tend import FILE      a Tend export (.json) or an address book (.vcf)
  tend config [--path]  where your config file lives ($XDG_CONFIG_HOME/tend)

Your data lives in $XDG_DATA_HOME/tend (or --data DIR, or $TEND_DATA_DIR),
readable only by you. Tend never connects to the network.
"""


def epilog() -> str:
    """The end of ``tend --help``: a line per screen (from :data:`app.modes.MODES`), then data."""
    lines = ["screens:"]
    for index, mode in enumerate(MODES):
        command = "tend" if index == 0 else f"tend {mode.name}"
        line = f"  {command:<20}  {mode.summary}"
        if mode.usage and len(line) + len(mode.usage) + 3 <= 80:
            line += f" ({mode.usage})"
        elif mode.usage:  # on a line of its own, so the help fits 80 columns
            line += "\n" + " " * 24 + f"({mode.usage})"
        lines.append(line)
    return "\n".join(lines) + "\n\n" + EPILOG_DATA


class _CommandParser(argparse.ArgumentParser):
    """A command's parser: an option it does not know is reported with this command's usage
    (argparse would leave it to the top-level parser, which shows the top-level usage)."""

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]  # one body for argparse's three overloads
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras


def _add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=default,
        help="the folder for Tend's data (default: $TEND_DATA_DIR, else the XDG data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tend",
        description=DESCRIPTION,
        epilog=epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tend {__version__}")
    _add_common(parser, top=True)
    parser.add_argument(
        "--until",
        metavar="TIME",
        default=None,
        help="when your next session starts (14:50, 12m, 'in 12 min'); Today counts down",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)

    screens = {}
    for index, mode in enumerate(MODES):
        screens[mode.name] = sub.add_parser(mode.name, help=mode.summary + (" (the default)" if index == 0 else ""))
        _add_common(screens[mode.name], top=False)

    # The same --until as ``tend --until``: ``today`` is the default, so it takes it too.
    screens["today"].add_argument(
        "--until", metavar="TIME", default=argparse.SUPPRESS,
        help="when your next session starts (14:50, 12m, 'in 12 min'); Today counts down",
    )

    scan = screens["scan"]
    scan.add_argument("--guided", action="store_true", help="a paced scan that moves on by itself")
    scan.add_argument("--seconds", type=int, metavar="N", default=None, help="seconds per item in a guided scan")
    scan.add_argument("--plain", action="store_true", help="one item a line, answered with a number (screen readers, TERM=dumb)")

    breathe = screens["breathe"]
    breathe.add_argument(
        "--pattern", metavar="NAME", default=None,
        help="start this pattern at once (box, 478, coherent, sigh, extended, or one of yours)",
    )
    length = breathe.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, metavar="N", default=None, help="about how long (ends on a whole breath cycle)")
    length.add_argument("--cycles", type=int, metavar="N", default=None, help="how many breath cycles")
    breathe.add_argument("--plain", action="store_true", help="print the phase words in time, nothing else (screen readers, TERM=dumb)")
    breathe.add_argument("--bell", action="store_true", help="with --plain: ring the terminal bell at each new phase")

    export = sub.add_parser("export", help="write all your data to a file")
    _add_common(export, top=False)
    export.add_argument("path", metavar="PATH", nargs="?", help="the file (or folder, for csv) to write")
    export.add_argument("--out", metavar="PATH", help="the same, as an option (tend export --out PATH)")
    export.add_argument(
        "--format", choices=sorted(_exporters()), default=None,
        help="json, csv (a folder of files), ics (your rituals as a calendar) or vcf (colleagues as an "
        "address book); taken from the file's extension when not given (none means json)",
    )
    export.add_argument("--force", action="store_true", help="replace an existing file")

    doctor = sub.add_parser("doctor", help="check the data folder, the data file and the terminal")
    _add_common(doctor, top=False)
    doctor.add_argument("--fix", action="store_true", help="tighten permissions and remove leftover temp files")

    imp = sub.add_parser("import", help="add data from a Tend export or colleagues from a .vcf")
    _add_common(imp, top=False)
    imp.add_argument("file", metavar="FILE", help="a file made by 'tend export', or a .vcf address book")

    from app.cli_shell import add_commands as add_shell_commands  # status, done, skip, log, next, undo, completion

    add_shell_commands(sub, _add_common)

    from app.cli_circle import register as register_circle

    register_circle(sub)
    config = sub.add_parser("config", help="where your config file lives, and whether it reads well")
    config.add_argument("--path", action="store_true", help="print only the path (for $EDITOR \"$(tend config --path)\")")
    config.add_argument("--keys", action="store_true", help="list every key's id, for the config file's [keys]")
    return parser


EXTENSION_FORMATS = {".json": "json", ".csv": "csv", ".ics": "ics", ".vcf": "vcf", ".vcard": "vcf"}
"""The export format each file extension means."""


def export_format(out: str, given: str | None) -> tuple[str | None, str | None]:
    """(the format to write, None) for ``--out`` and ``--format``, or (None, why not).

    The extension decides when ``--format`` is not given (no extension: JSON, the default);
    an extension that means another format than ``--format`` is refused, and so is one Tend
    does not know, unless ``--format`` says what to write.
    """
    if out.strip() in ("-", ""):
        return None, (
            "Tend writes an export to a file, not to the screen, so it never lands in a terminal "
            "log by accident. Give a file name, for example: tend export tend-export.json."
        )
    suffix = Path(out).suffix.lower()
    meant = EXTENSION_FORMATS.get(suffix)
    if given is not None:
        if meant is not None and meant != given:
            return None, (
                f"--format {given} does not match the file name {Path(out).name}, which reads as "
                f"{meant}. Change one of them so they agree."
            )
        return given, None
    if meant is not None:
        return meant, None
    if not suffix:
        return "json", None
    return None, (
        f"Tend does not know what to write for a {suffix} file. Name it .json, .csv, .ics or "
        f".vcf, or add --format json|csv|ics|vcf."
    )


def _exporters() -> dict[str, Any]:
    from app.exchange import EXPORTERS

    return EXPORTERS


def _export_path(path: str | None, out: str | None) -> tuple[str | None, str]:
    """Where ``tend export`` writes: the path given (``tend export FILE``, or ``--out FILE``),
    or None and what to say when it is missing or given twice over."""
    if path is not None and out is not None and path != out:
        return None, f"two places to write were given ({path} and --out {out}); give one."
    found = path if path is not None else out
    if found is None:  # an empty one is for export_format to refuse, with its own words
        return None, "say where to write, for example: tend export tend-backup.json"
    return found, ""


def _say(message: str, *, error: bool = False) -> None:
    """Print a message; anything in it that could act on the terminal (an escape code in a
    path someone gave, say) is shown as a visible escape instead."""
    from app.textclean import visible_message

    print(visible_message(message), file=sys.stderr if error else sys.stdout)


class _Parser(argparse.ArgumentParser):
    """argparse, with its messages (which quote what was typed) made safe to show."""

    def error(self, message: str) -> NoReturn:
        from app.textclean import visible_message

        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {visible_message(message)}\n")


def terminal_problem(command: str = "today") -> str | None:
    """Why Tend cannot draw ``command``'s screen here, or None when it can; a dumb terminal
    (a screen reader, a braille display) is pointed at what works line by line."""
    if os.environ.get("TERM", "") == "dumb":
        if command in ("scan", "breathe"):
            plain = f"'tend {command} --plain' does the same line by line, which works here."
        else:
            plain = ("Line by line, these work here: 'tend status', 'tend scan --plain', 'tend breathe --plain', "
                     "'tend done', 'tend log'.")  # fmt: skip
        return f"tend's full screen needs a terminal that can draw, and TERM is 'dumb'. {plain}"
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return "tend draws a full-screen view and needs a terminal on both input and output; for data, try 'tend export FILE'."
    return None


def _open_store(args: argparse.Namespace, *, defer_backup: bool = False) -> Store:
    from app.paths import resolve_data_dir
    from app.storage import Store

    return Store.open(
        resolve_data_dir(getattr(args, "data", None)), defer_backup=defer_backup, on_lock_wait=_say_waiting
    )


def _say_waiting() -> None:
    """One line while another Tend holds the lock (an import, say), so a wait is never silent."""
    _say("Waiting for another Tend to finish saving...", error=True)
    sys.stderr.flush()


def start_options(args: argparse.Namespace) -> StartOptions:
    """The options the first screen receives from the command line."""
    return StartOptions(
        until=getattr(args, "until", None),
        guided=bool(getattr(args, "guided", False)),
        seconds=getattr(args, "seconds", None),
        pattern=getattr(args, "pattern", None),
        minutes=getattr(args, "minutes", None),
        cycles=getattr(args, "cycles", None),
    )


def validate_options(command: str, options: StartOptions) -> str | None:
    """A plain message for an option that cannot work, or None."""
    until = options.until
    if until is not None:
        if command != "today":
            return "--until counts down on Today: use it with 'tend' or 'tend today'."
        from app.breaks import UntilError, parse_until

        try:
            parse_until(until)
        except UntilError as error:
            return f"--until: {error}"
    seconds = options.seconds
    if seconds is not None and not 2 <= seconds <= 120:
        return "--seconds should be between 2 and 120."
    minutes = options.minutes
    if minutes is not None and not 0 < minutes <= 60:
        return "--minutes should be more than 0 and at most 60."
    cycles = options.cycles
    if cycles is not None and not 1 <= cycles <= 200:
        return "--cycles should be between 1 and 200."
    return None


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli_status import fast_status  # ``tend status`` without building every command

    code = fast_status(argv)
    if code is not None:
        return code
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or DEFAULT_MODE

    from app.paths import PathError, resolve_data_dir
    from app.storage import StoreError

    try:
        resolve_data_dir(getattr(args, "data", None))  # ~name for a user who does not exist
    except PathError as error:
        _say(f"tend: {error}", error=True)
        return EXIT_USAGE

    from app.cli_shell import COMMANDS as SHELL_COMMANDS
    from app.cli_shell import run as run_shell_command

    if command in SHELL_COMMANDS:
        return run_shell_command(command, args, parser)
    if command == "circle":
        from app.cli_circle import run_circle

        return run_circle(args)
    if command == "config":
        from app.config import describe, load_config

        found = load_config()
        if args.keys:
            from app.tui import keymap_listing

            _say(keymap_listing())
        else:
            _say(str(found.path) if args.path else describe(found, _key_places()))
        return EXIT_OK

    if command == "doctor":
        from app.doctor import run_doctor

        report, code = run_doctor(resolve_data_dir(getattr(args, "data", None)), fix=args.fix, keys=_key_places())
        _say(report)
        return code

    if command in ("export", "import"):
        exporter, out = None, None
        if command == "export":
            out, missing = _export_path(args.path, args.out)
            if out is None:
                _say(f"tend export: {missing}", error=True)
                return EXIT_USAGE
            chosen, problem = export_format(out, args.format)
            if problem or chosen is None:
                _say(f"tend: {problem}", error=True)
                return EXIT_USAGE
            exporter = _exporters()[chosen]
        else:
            problem = _import_file_problem(args.file)
            if problem:  # said before the data folder is opened, so a typo creates nothing
                _say(f"tend: {problem}", error=True)
                return EXIT_PROBLEM
        try:
            data = _open_store(args)
            for warning in data.warnings + data.notices + data.backup_remarks:
                _say(warning, error=True)
            if exporter is not None and out is not None:
                from app.files import refuse_inside

                refuse_inside(Path(out), data.paths.root)
                _say(exporter(data, Path(out), force=args.force))
                if data.left_out:  # a backup that is quietly short is worse than none: say so, and fail
                    count = len(data.left_out)
                    one = count == 1
                    _say(f"tend: {count} {'entry' if one else 'entries'} Tend could not read {'was' if one else 'were'} "
                         f"left out of that export; {'it stays as it is' if one else 'they stay as they are'} in your "
                         f"data. 'tend doctor' names {'it' if one else 'them'}.", error=True)
                    return EXIT_PROBLEM
            else:
                _say(run_import(data, Path(args.file)))
        except StoreError as error:
            from app.exchange import UsageError

            _say(f"tend: {error}", error=True)
            return EXIT_USAGE if isinstance(error, UsageError) else EXIT_PROBLEM
        except KeyboardInterrupt:  # ctrl+c: every write is all or nothing, so nothing changed
            _say(f"\ntend: stopped; nothing was {command}ed.", error=True)
            return EXIT_INTERRUPTED
        return EXIT_OK

    from app.config import startup_config

    config = startup_config(lambda line: _say(line, error=True))  # ascii goes into TEND_ASCII
    options = start_options(args)
    problem = validate_options(command, options)
    if problem:
        _say(f"tend: {problem}", error=True)
        return EXIT_USAGE
    store: Store | None = None
    if command == "breathe" and options.pattern:
        # Checked before anything is drawn, so a typo gets the list of names, not a screen.
        try:
            store = _open_store(args)
        except StoreError as error:
            _say(f"tend: {error}", error=True)
            return EXIT_PROBLEM
        problem = breathing_pattern_problem(store, options.pattern)
        if problem:
            _say(f"tend: {problem}", error=True)
            return EXIT_USAGE
    if getattr(args, "plain", False) or getattr(args, "bell", False):
        return _run_plain(args, command, options, store, config_bell=bool(config.bell))
    problem = terminal_problem(command)
    if problem:
        _say(f"tend: {problem}", error=True)
        return EXIT_USAGE
    if store is None:
        try:
            # The backup copy is written once the first frame is on screen (TendApp).
            store = _open_store(args, defer_backup=True)
        except StoreError as error:
            _say(f"tend: {error}", error=True)
            return EXIT_PROBLEM

    from app.tui import TendApp

    store.on_lock_wait = None  # the app shows its own waiting line; stderr is its screen now

    # Modules and the data just read stay for the whole session: out of the cyclic garbage
    # collector's sight, a full collection before the first frame (~25 ms with three years of
    # data) has nothing to walk. Memory is still freed by reference counting; the few hundred
    # cyclic leftovers of importing (tens of KB) are kept. The app collects and freezes again
    # after its first frame.
    gc.freeze()
    app = TendApp(store, start_mode=command, start_options=options, config=config, owns_process=True)
    from app.glyphs import AsciiStream, use_unicode

    # On a terminal that cannot show Unicode (see app.glyphs), what Textual writes (it
    # writes to sys.__stderr__) passes through an ASCII filter: every byte sent is ASCII.
    terminal_stream = sys.__stderr__
    if not use_unicode():
        sys.__stderr__ = AsciiStream(terminal_stream)  # type: ignore[misc,assignment]  # Textual writes to sys.__stderr__, typed read-only
    try:
        app.run(mouse=False)
    finally:
        sys.__stderr__ = terminal_stream  # type: ignore[misc]  # put back: typed read-only
        store.on_lock_wait = _say_waiting
        try:
            store.write_backup()  # if the app ended before its first frame
        except StoreError as error:
            _say(f"tend: the backup copy was not refreshed: {error}", error=True)
    return app.return_code or EXIT_OK


def _run_plain(args: argparse.Namespace, command: str, options: StartOptions, store: Store | None, *, config_bell: bool = False) -> int:
    """``tend scan --plain`` / ``tend breathe --plain`` (app.plain): lines, no screen."""
    from app.plain import plain_problem, run_plain
    from app.storage import StoreError

    problem = (
        plain_problem(command, options)
        if getattr(args, "plain", False)
        else "--bell rings in the plain mode: add --plain (on the breathing screen, g turns the bell on)."
    )
    if problem:
        _say(f"tend: {problem}", error=True)
        return EXIT_USAGE
    try:
        return run_plain(command, options, store or _open_store(args), bell=getattr(args, "bell", False) or config_bell)
    except StoreError as error:
        _say(f"tend: {error}", error=True)
        return EXIT_PROBLEM


def _key_places(config: Config | None = None) -> KeyCheck | None:
    """Every key Tend has and how the UI spells a key, to check the config's [keys] against
    (``config``, if already read); None (not checked, and nothing of the screens imported)
    when the config has no [keys]."""
    from app.config import load_config

    if not (config or load_config()).keys:
        return None
    from app.tui import binding_places, spelled_key

    return binding_places(), spelled_key


def breathing_pattern_problem(store: Store, name: str) -> str | None:
    """None when ``--pattern NAME`` names a preset or one of the user's patterns; else the
    message listing the names that work."""
    from app.breathing import PRESETS, find_pattern, pattern_from_record, unknown_pattern_message
    from app.models import BreathingPattern

    customs = [p for p in map(pattern_from_record, store.all(BreathingPattern)) if p is not None]
    patterns = [*PRESETS, *customs]
    return None if find_pattern(name, patterns) else unknown_pattern_message(name, patterns)


def _is_vcard(path: Path) -> bool:
    if path.suffix.lower() in (".vcf", ".vcard"):
        return True
    try:
        # Only an ordinary file is looked into (a pipe could block, a device never end);
        # anything else is refused, in plain words, by the import itself.
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:64].count(b"\x00") > 16:
        head = head.replace(b"\x00", b"")  # UTF-16 (or 32): the letters without their zero bytes
    return b"BEGIN:VCARD" in head.upper()


class _ProgressLine:
    """"Reading cards: 1,200 of 5,000" on one line of a terminal's stderr, redrawn in place."""

    def __init__(self) -> None:
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        line = f"Reading cards: {done:,} of {total:,}"
        self.width = max(self.width, len(line))
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()

    def close(self) -> None:
        if self.width:  # blank the line (plain spaces: any terminal) before the summary
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def _import_file_problem(given: str) -> str | None:
    """Why there is nothing to import at ``given`` (no file there, a folder, a device, a
    pipe), or None. Tend's own data (its folder, or a file named as Tend names them) gets the
    advice to export it first."""
    from app.exchange import MAX_IMPORT_BYTES, ExchangeError, data_file_advice, data_folder_advice
    from app.files import check_user_file
    from app.paths import PathError, expand_home

    try:
        path = expand_home(Path(given))
    except PathError as problem:  # ~name for a user who does not exist
        return str(problem)
    advice = data_folder_advice(path)
    if advice:
        return advice
    try:
        check_user_file(path, limit=MAX_IMPORT_BYTES, too_big=f"{given} is too large to import.")
    except ExchangeError as problem:
        if os.path.isdir(path):  # a CSV export is a folder: say what import takes instead
            from app.exchange import WHAT_IMPORTS

            return f"{problem} {WHAT_IMPORTS}"
        return str(problem)
    return data_file_advice(path)


def run_import(store: Store, path: Path) -> str:
    """Import a file by its kind. Returns the summary to print."""
    if _is_vcard(path):
        from app.vcard import import_vcard_file

        progress = _ProgressLine() if sys.stderr.isatty() else None
        try:
            return import_vcard_file(store, path, progress=progress).summary()
        finally:
            if progress is not None:
                progress.close()

    from app.exchange import import_json

    return import_json(store, path).summary()
