"""Plain, line-by-line modes for screen readers and dumb terminals.

``tend scan --plain`` asks each item of the body scan on its own line and reads a number;
``tend breathe --plain`` prints the phase words in time (and rings the bell if asked). No
cursor movement, no colour, no escape sequence of any kind: every line is printed once,
top to bottom, so ``TERM=dumb``, a braille display or a screen reader follows it. Where
the terminal cannot show Unicode (:mod:`app.glyphs`), every line is plain ASCII.

What is saved is saved as the screens save it: the same store, lock and cleaning. A scan
goes in with :func:`app.bodyscan.model_from_record`; the scan in progress is kept as the
scan screen's own draft after every answer, so a dropped connection or ctrl+c loses
nothing and the scan screen offers it again. A breathing session is logged as the
breathing screen logs it, finished or ended early.

Time comes from :data:`CLOCK` and waits go through :data:`SLEEP` (``time.monotonic`` and
``time.sleep``); tests replace both, so nothing sleeps for real.

Plain Python with no Textual import.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TextIO

import pendulum

from app import bodyscan as bs
from app.breathing import (
    PRESETS,
    BreathingRun,
    Pattern,
    SessionLength,
    closing_line,
    find_pattern,
    pattern_from_record,
    plan_cycles,
)
from app.breathing_history import saved_words
from app.glyphs import to_ascii, use_unicode
from app.models import BreathingPattern, Colleague
from app.modes import StartOptions
from app.people import latest_contacts
from app.textclean import clean_text, visible_message

if TYPE_CHECKING:
    from app.storage import Store

CLOCK: Callable[[], float] = time.monotonic
"""The monotonic clock the breathing follows (tests give a fake)."""
SLEEP: Callable[[float], None] = time.sleep
"""How a wait is done (tests give one that moves the fake clock on)."""

DRAFT_KEY = "scan"
"""The scan screen's draft: a scan left here is offered there, and the other way round."""

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_INTERRUPTED = 130

SKIP_WORDS = frozenset({"s", "skip", "-"})
BACK_WORDS = frozenset({"b", "back"})
QUIT_WORDS = frozenset({"q", "quit", "d", "done", "stop", "end"})
YES_WORDS = frozenset({"y", "yes"})


class Lines:
    """Where a plain mode writes and reads: one whole line at a time, flushed at once."""

    def __init__(self, out: TextIO | None = None, inp: TextIO | None = None, *, ascii_only: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.inp = inp or sys.stdin
        self.ascii_only = (not use_unicode()) if ascii_only is None else ascii_only

    def say(self, text: str = "") -> None:
        """Print ``text`` (controls shown as visible escapes; ASCII where the terminal needs it)."""
        self.write(text + "\n")

    def write(self, text: str) -> None:
        shown = visible_message(text)
        if self.ascii_only:
            shown = to_ascii(shown)
        self.out.write(shown)
        self.out.flush()

    def bell(self) -> None:
        self.out.write("\a")
        self.out.flush()

    def ask(self, prompt: str) -> str | None:
        """Print ``prompt`` (no newline) and read one line, cleaned; None at the end of input."""
        self.write(prompt)
        line = self.inp.readline()
        if not line:
            self.write("\n")
            return None
        return clean_text(line, limit=200).casefold()


def _quiet_stdout(lines: Lines) -> None:
    """After a broken pipe: send what is still to be written nowhere, so Python's own flush
    at exit raises nothing (as the Python docs advise for SIGPIPE)."""
    try:
        fd = lines.out.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


# --------------------------------------------------------------------------- the scan


def _scale_line(item: bs.Item) -> str:
    return f"{item.scale.hint()}   (s skip, b back, q finish)"


def _ask_item(lines: Lines, state: bs.ScanState) -> str:
    """Ask about the current item until an answer fits; returns what to do: "rated",
    "skip", "back", "quit" or "eof"."""
    item = state.item
    lines.say("")
    lines.say(f"{state.progress()}: {item.label}")
    lines.say(item.cue)
    lines.say(_scale_line(item))
    while True:
        answer = lines.ask("> ")
        if answer is None:
            return "eof"
        if answer in SKIP_WORDS:
            return "skip"
        if answer in BACK_WORDS:
            return "back"
        if answer in QUIT_WORDS:
            return "quit"
        if answer.isdigit() and item.scale.accepts(int(answer)):
            state.rate(int(answer))
            return "rated"
        values = item.scale.values
        lines.say(f"Type a number from {values[0]} to {values[-1]}, s to skip, b to go back or q to finish.")


def _keep_draft(store: Store, state: bs.ScanState) -> None:
    if store.read_only:
        return
    if state.is_empty:
        store.clear_draft(DRAFT_KEY)
    else:
        store.save_draft(DRAFT_KEY, state.to_dict())


def _offer_draft(lines: Lines, store: Store) -> bs.ScanState | None:
    """A scan started earlier (here or on the scan screen), if the person wants to carry on."""
    data = store.draft(DRAFT_KEY)
    if not data:
        return None
    waiting = bs.ScanState.from_dict(data)
    if waiting.is_empty or waiting.finished:
        return None
    answer = lines.ask(
        f"You started a scan earlier ({waiting.answered} of {len(bs.ITEMS)} answered). Carry on with it? (y/n) "
    )
    if answer in YES_WORDS:
        waiting.set_mode(bs.QUICK)
        return waiting
    return None


def _trusted_name(store: Store) -> str | None:
    """The trusted colleague the scan screen suggests after a heavy scan, if any."""
    found = bs.trusted_after_heavy_scan(store.all(Colleague), latest_contacts(store))
    return found[0].name if found else None


def _summary_lines(store: Store, record: bs.ScanRecord) -> list[str]:
    counted = bs.total(record)
    said = [f"Thank you. You rated {counted.rated} item{'s' if counted.rated != 1 else ''}."]
    load = bs.load_now(record)
    if load:
        parts = [f"{item.label.lower()} ({item.scale.level(value).word})" for item, value in load]  # type: ignore[union-attr]  # value is on the scale: it was accepted when rated
        said.append("Where it sits most: " + ", ".join(parts) + ".")
    if counted.sleep is not None:
        level = bs.SLEEP_SCALE.level(counted.sleep)
        said.append(f"Sleep: {level.word if level else counted.sleep}.")
    for suggestion in bs.suggest(record)[:2]:
        if suggestion.kind == bs.REACH_OUT:
            said.append(f"Next, if you like: {suggestion.title}. {bs.reach_out_line(_trusted_name(store))}.")
            continue
        how = f" (tend breathe --plain --pattern {suggestion.pattern})" if suggestion.pattern else ""
        said.append(f"Next, if you like: {suggestion.title}{how}. {suggestion.text}")
    return said


def run_scan(store: Store, lines: Lines, *, now: Callable[[], pendulum.DateTime] = pendulum.now) -> int:
    """The body scan, one item a line. Returns the exit code."""
    if store.read_only:
        lines.say(f"Your data is open read-only here ({store.read_only_reason}), so a scan could not be saved.")
        return EXIT_PROBLEM
    lines.say("Body scan. For each item, type a number and press enter.")
    state = _offer_draft(lines, store) or bs.ScanState.new(bs.QUICK, now=now())
    try:
        while not state.finished:
            step = _ask_item(lines, state)
            if step == "skip":
                state.skip()
            elif step == "back":
                if not state.back():
                    lines.say("This is the first item.")
            elif step in ("quit", "eof"):
                state.finish()
            if not state.finished:
                _keep_draft(store, state)
    except BrokenPipeError:  # the answers are kept as a draft after each one
        _quiet_stdout(lines)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        _keep_draft(store, state)
        if state.is_empty:
            lines.say("\nStopped; nothing was saved.")
        else:
            lines.say("\nStopped. What you answered is kept, and the scan offers it again next time.")
        return EXIT_INTERRUPTED
    record = state.to_record(now())
    lines.say("")
    if not record.ratings:
        store.clear_draft(DRAFT_KEY)
        lines.say("Nothing was rated, so nothing was saved. That is fine too.")
        return EXIT_OK
    with store.transaction():
        store.add(bs.model_from_record(record))
        store.clear_draft(DRAFT_KEY)
    lines.say("Saved to your scan history.")
    for line in _summary_lines(store, record):
        lines.say(line)
    return EXIT_OK


# --------------------------------------------------------------------------- breathing


def patterns_of(store: Store) -> list[Pattern]:
    """Every pattern on offer: the presets, then the person's own."""
    return [*PRESETS, *(p for p in map(pattern_from_record, store.all(BreathingPattern)) if p is not None)]


def plan(store: Store, options: StartOptions) -> tuple[Pattern, int]:
    """The pattern and cycles asked for: the options, else what was breathed last (as the
    breathing screen remembers it), else box breathing for two minutes."""
    patterns = patterns_of(store)
    last = store.settings().breathe_last
    pattern = find_pattern(options.pattern or last.get("pattern") or "box", patterns) or PRESETS[0]
    if options.cycles is not None:
        cycles = plan_cycles(pattern, cycles=options.cycles)
    elif options.minutes is not None:
        cycles = plan_cycles(pattern, minutes=options.minutes)
    else:
        cycles = SessionLength.from_dict(last.get("length")).plan(pattern)
    return pattern, cycles


def _log(store: Store, run: BreathingRun) -> bool:
    """Log the session as the breathing screen does; True when it was saved."""
    if not run.started or store.read_only:
        return False
    store.add(run.record())
    return True


def run_breathe(store: Store, lines: Lines, options: StartOptions, *, bell: bool = False) -> int:
    """Print each phase's words as it begins, in time; log the session at the end or on ctrl+c."""
    pattern, cycles = plan(store, options)
    clock, sleep = CLOCK, SLEEP
    run = BreathingRun(pattern, cycles, clock=clock)
    run.start()
    try:
        with _hangup_ends_it():
            _breathe(run, lines, sleep, bell=bell)
    except _HungUp:  # the terminal went away (an SSH drop) or Tend was asked to stop: log it
        run.end_early()
        _log(store, run)
        return EXIT_PROBLEM
    except BrokenPipeError:  # whatever read the words went away: log what was breathed, quietly
        run.end_early()
        _log(store, run)
        _quiet_stdout(lines)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        run.end_early()
        saved = _log(store, run)
        summary = run.summary()
        done = summary["cycles_done"]
        breaths = "one full breath" if done == 1 else f"{done} full breaths"
        lines.say(f"\nStopped after {breaths}, {saved_words(summary, saved)}.")
        return EXIT_OK
    saved = _log(store, run)
    lines.say(closing_line(run.summary()) + ("" if saved else " (Not saved this time.)"))
    return EXIT_OK


class _HungUp(Exception):
    """SIGHUP or SIGTERM arrived during a plain breathing session."""


@contextlib.contextmanager
def _hangup_ends_it() -> Iterator[None]:
    """While breathing, SIGHUP and SIGTERM end the session (it is logged) instead of killing
    Tend with it unlogged; the handlers before are put back after."""

    def stop(signum: int, frame: object) -> None:
        raise _HungUp

    before = {}
    try:
        for signum in (signal.SIGHUP, signal.SIGTERM):
            before[signum] = signal.signal(signum, stop)
    except ValueError:  # not the main thread: signals stay as they were
        pass
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _breathe(run: BreathingRun, lines: Lines, sleep: Callable[[float], None], *, bell: bool) -> None:
    """Say each phase as it begins (the bell first, from the second on) until the run ends."""
    shown: tuple[int, int] | None = None
    while True:
        state = run.state()
        if state.finished:
            return
        if state.phase_id != shown:
            if bell and shown is not None:
                lines.bell()
            shown = state.phase_id
            lines.say(state.label)
        sleep(state.phase_remaining + 0.001)  # a hair late, so the phase has certainly ended


# --------------------------------------------------------------------------- the command line


def plain_problem(command: str, options: StartOptions) -> str | None:
    """Why these options cannot go with ``--plain``, or None."""
    if command not in ("scan", "breathe"):
        return "--plain works with 'tend scan' and 'tend breathe'."
    if command == "scan" and (options.guided or options.seconds is not None):
        return "--plain asks one item at a time at your own pace; leave out --guided and --seconds."
    return None


def run_plain(command: str, options: StartOptions, store: Store, *, bell: bool = False, lines: Lines | None = None) -> int:
    """``tend scan --plain`` or ``tend breathe --plain``: the exit code."""
    lines = lines or Lines()
    if command == "scan":
        return run_scan(store, lines)
    return run_breathe(store, lines, options, bell=bell)
