"""The breathing reset's own screen (the ``breathe`` mode): presets and your own patterns,
the length, and the start of a session (:class:`~screens.breathe.exercise.ExerciseScreen`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

import pendulum
from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.breathing import (
    LENGTH_MINUTES,
    PRESETS,
    Pattern,
    SessionLength,
    find_pattern,
    format_clock,
    parse_length,
    pattern_from_record,
)
from app.models import BreathingPattern, BreathingSession
from app.modes import StartOptions
from app.textclean import clean_text
from screens.base import TendScreen
from screens.breathe.editor import EDITOR_DRAFT, PatternEditor, custom_id
from screens.breathe.exercise import ExerciseScreen
from screens.dialogs import ConfirmDialog, TextPrompt, reopen_draft
from screens.older import OlderRecords

if TYPE_CHECKING:
    from app.breathing_history import History as BreathingHistory


class PatternList(OptionList):
    """The patterns; enter starts the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Start", id="breathe.start", tooltip="Start the highlighted pattern", key_display="enter"),
    ]


def _pad(text: str, cells: int) -> str:
    """``text`` cut or padded to exactly ``cells`` terminal cells."""
    out = ""
    for char in text:
        if cell_len(out + char) > cells - 1:
            break
        out += char
    return out + " " * (cells - cell_len(out))


def pattern_prompt(pattern: Pattern) -> Content:
    """Two lines for the list: name, rhythm and pace; then what it is good for."""
    first = Content.assemble(
        (_pad(clean_text(pattern.name), 26), "bold"),
        _pad(pattern.rhythm, 12),
        (pattern.pace, "$text-muted"),
    )
    blurb = pattern.blurb or "Your own pattern."
    if pattern.custom:
        blurb = "Your own pattern  (e to change it, d to delete it)"
    return Content.assemble(first, "\n", ("  " + blurb, "$text-muted"))


class BreatheScreen(TendScreen):
    """Choose a pattern and a length, then breathe."""

    MODE = "breathe"
    TITLE_TEXT = "Breathing reset"
    CSS_PATH = "breathe.tcss"
    DEFAULT_CLASSES = "css-breathe"
    HELP = (
        "Paced breathing for the minutes between sessions. Pick a pattern with the arrow keys "
        "and press enter; pick the length with 1, 2, 3 or 5 minutes, or m for any number of "
        "minutes or cycles. A session always ends on a whole breath."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "minutes(1)", "1 min", id="breathe.one", tooltip="Breathe for about 1 minute", show=False),
        Binding("2", "minutes(2)", "2 min", id="breathe.two", tooltip="Breathe for about 2 minutes", show=False),
        Binding("3", "minutes(3)", "3 min", id="breathe.three", tooltip="Breathe for about 3 minutes", show=False),
        Binding("5", "minutes(5)", "5 min", id="breathe.five", tooltip="Breathe for about 5 minutes", show=False),
        Binding("m", "length", "Length", id="breathe.length", tooltip="Any length: minutes (like 4) or cycles (like 6 cycles)"),
        Binding("n", "new", "New", id="breathe.new", tooltip="Make a pattern of your own"),
        Binding("e", "edit", "Edit", id="breathe.edit", tooltip="Change the highlighted pattern of yours"),
        Binding("d,delete", "delete", "Delete", id="breathe.delete", tooltip="Delete the highlighted pattern of yours"),
    ]

    clock: ClassVar[Callable[[], float]] = staticmethod(time.monotonic)
    """The monotonic clock sessions run on (tests put a fake one here)."""

    def __init__(self, options: StartOptions | None = None) -> None:
        super().__init__()
        self.customs: list[Pattern] = []
        self.length = SessionLength()
        self.last_key = "box"
        self.asked: StartOptions | None = options if options and (options.pattern or options.minutes or options.cycles) else None
        """A session asked for and not yet started (``tend breathe --pattern box``, :meth:`start`)."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="length", markup=False)
        yield Static("", id="breathe-history", markup=False)
        yield OlderRecords(BreathingSession, "Reading older sessions for the minutes in all...", id="breathe-older")
        yield PatternList(id="patterns")

    def on_mount(self) -> None:
        self._read_choices()  # what a session asked for needs (the showing then reads and draws all)
        self._take_request()
        # A pattern left half-made (Tend closed, or the connection dropped) opens again as it
        # was, unless a session was asked for (that comes first; the draft waits).
        self.call_after_refresh(reopen_draft, self, EDITOR_DRAFT, self._custom, self.open_editor)

    def on_screen_resume(self) -> None:
        # Back on top with a session asked for meanwhile (an exercise on top was ended for it).
        self._take_request()

    def start(self, pattern: str, minutes: float | None = None) -> None:
        """Start the pattern named ``pattern`` (a preset's key or name, or one of yours),
        about ``minutes`` long (None: the length chosen last). A session running on top of
        this screen ends first (logged as it stands); a dialog open on it is left alone, and
        the session starts once it closes. Called by ``TendApp.open_breathing``."""
        self.asked = StartOptions(pattern=pattern, minutes=minutes)
        top = self.app.screen
        if isinstance(top, ExerciseScreen) and top in self.app.screen_stack:
            top.dismiss(None)  # this screen is shown again next, and starts it then
        elif self.is_mounted and top is self:
            self._take_request()

    # -- data

    @property
    def patterns(self) -> list[Pattern]:
        """Every pattern on offer: presets first, then yours."""
        return [*PRESETS, *self.customs]

    def _read_choices(self) -> None:
        """The patterns of one's own and the length and pattern chosen last."""
        store = self.tend.store
        self.customs = [p for p in map(pattern_from_record, store.all(BreathingPattern)) if p is not None]
        last = store.settings().breathe_last
        self.length = SessionLength.from_dict(last.get("length"))
        self.last_key = str(last.get("pattern") or self.last_key)

    def refresh_data(self) -> None:
        self._read_choices()
        listing = self.query_one(PatternList)
        current = listing.highlighted_option.id if listing.highlighted_option else self.last_key
        options = [Option(pattern_prompt(p), id=p.key) for p in self.patterns]
        options.append(Option(Content.assemble(("+ Make a pattern of your own", "bold"), ("  (n)", "$text-muted")), id="new"))
        listing.set_options(options)
        keys = [p.key for p in self.patterns]
        listing.highlighted = keys.index(current) if current in keys else 0
        self._show_length()
        self._show_history()

    def on_screen_suspend(self) -> None:
        self.query_one("#breathe-older", OlderRecords).stop()  # read again when shown (refresh_data)

    @on(OlderRecords.Loaded, "#breathe-older")
    def _older_sessions(self, event: OlderRecords.Loaded) -> None:
        self._show_history(event.result)

    def _show_history(self, whole: BreathingHistory | None = None) -> None:
        """This week's breathing, per pattern, and the minutes in all (hidden before the first).
        Sessions in history files count through the tallies ``tend.json`` keeps of them, so
        nothing else is read; only a file without one yet (from an older Tend, until the next
        start) is read by a worker, this week showing at once meanwhile (``whole``: its result)."""
        from app.breathing_history import load_history, load_whole, minutes_text

        store, now = self.tend.store, pendulum.now()
        if whole is None:  # the older years' tallies, kept in tend.json: no history file read
            whole = load_whole(store, now)
        history = whole
        if history is None:  # a history file without its tally (until the next start)
            reading = self.query_one("#breathe-older", OlderRecords).read(lambda every: load_history(store, now, among=every))
            history = load_history(store, now, recent=reading)
            whole = None if reading else history
        line = self.query_one("#breathe-history", Static)
        line.display = history.all_sessions > 0 or whole is None
        if not line.display:
            return
        week = (
            f"{history.week_sessions} session{'s' if history.week_sessions != 1 else ''}, {minutes_text(history.week_seconds)}"
            if history.week_sessions
            else "nothing yet"
        )
        parts: list[Any] = [
            ("This week: ", "bold"), week,
            ("   In all: ", "bold"), f"{history.all_sessions:,} sessions, {minutes_text(history.all_seconds)}",
        ] if whole is not None else [("This week: ", "bold"), week]  # fmt: skip
        names = {p.key: p.name for p in self.patterns}
        room = max(self.app.size.width - 6, 40)
        shown: list[str] = []
        for index, entry in enumerate(history.week):
            name = names.get(entry.key) or clean_text(entry.stored_name, limit=40) or "A pattern since deleted"
            item = f"{name} {minutes_text(entry.seconds)}"
            rest = len(history.week) - index - 1
            tail = f" · +{rest} more" if rest else ""
            if cell_len(" · ".join([*shown, item]) + tail) > room and shown:
                shown.append(f"+{len(history.week) - index} more")
                break
            shown.append(item)
        if shown:
            parts += ["\n", " · ".join(shown)]
        line.update(Content.assemble(*parts))

    def _take_request(self) -> None:
        """A session asked for (``tend breathe --pattern box --minutes 2``, Today's quick
        breathe): take the length, start at once."""
        options, self.asked = self.asked, None
        if options is None:
            return
        minutes, cycles = options.minutes, options.cycles
        if cycles is not None:
            self.length = SessionLength(minutes=None, cycles=int(cycles))
        elif minutes is not None:
            self.length = SessionLength(minutes=float(minutes))
        if minutes is not None or cycles is not None:
            self._remember()
            self._show_length()
        name = options.pattern
        if name:
            pattern = find_pattern(name, self.patterns)
            if pattern is None:
                self.notify(f"There is no pattern called {clean_text(name, limit=40)!r}; choose one here.", markup=False)
            else:
                self.call_after_refresh(self.begin, pattern, self.length)

    def _highlighted(self) -> Pattern | None:
        option = self.query_one(PatternList).highlighted_option
        if option is None:
            return None
        return next((p for p in self.patterns if p.key == option.id), None)

    def _show_length(self) -> None:
        parts: list[Content | str | tuple[str, str]] = [("Length ", "bold")]
        chosen = self.length.minutes if self.length.cycles is None else None
        for minutes in LENGTH_MINUTES:
            if chosen == minutes:
                parts.append((f"[{minutes}]", "reverse bold"))
            else:
                parts.append((f" {minutes} ", "bold $accent"))
            parts.append(" ")
        parts.append("min   ")
        if chosen not in LENGTH_MINUTES:
            parts.append((f"[{self.length.label}]", "reverse bold"))
            parts.append("  ")
        parts.append(("m", "bold $accent"))
        parts.append(" other")
        pattern = self._highlighted()
        if pattern is not None:
            cycles = self.length.plan(pattern)
            word = "cycle" if cycles == 1 else "cycles"
            parts.append((f"     = {cycles} {word}, {format_clock(cycles * pattern.cycle_seconds)}", "$text-muted"))
        self.query_one("#length", Static).update(Content.assemble(*parts))

    @on(OptionList.OptionHighlighted)
    def _highlighted_changed(self, event: OptionList.OptionHighlighted) -> None:
        self._show_length()
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "new":
            self.action_new()
            return
        pattern = next((p for p in self.patterns if p.key == event.option.id), None)
        if pattern is not None:
            self.begin(pattern)

    # -- starting

    def begin(self, pattern: Pattern, length: SessionLength | None = None) -> None:
        """Open the exercise for ``pattern`` at the chosen length."""
        length = length or self.length
        self.last_key = pattern.key
        self._remember()
        cycles = length.plan(pattern)
        label = f"{length.label}, {cycles} {'cycle' if cycles == 1 else 'cycles'}"
        if length.cycles is not None:
            label = length.label
        self.app.push_screen(ExerciseScreen(pattern, cycles, length_label=label, clock=type(self).clock))

    def _remember(self) -> None:
        store = self.tend.store
        if store.read_only:
            return
        wanted = {"pattern": self.last_key, "length": self.length.to_dict()}
        if store.settings().breathe_last != wanted:
            with self.tend.saving("settings"):
                store.update_settings(breathe_last=wanted)

    # -- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"edit", "delete"}:
            pattern = self._highlighted() if self.is_mounted else None
            return bool(pattern and pattern.custom)
        return True

    def action_minutes(self, minutes: int) -> None:
        self.length = SessionLength(minutes=float(minutes))
        self._remember()
        self._show_length()

    def action_length(self) -> None:
        def chosen(text: str | None) -> None:
            if text is None:
                return
            length, _ = parse_length(text)
            if length is not None:
                self.length = length
                self._remember()
                self._show_length()

        self.app.push_screen(
            TextPrompt(
                "How long? Minutes, like 4 or 1.5, or cycles, like 6 cycles.",
                value=self.length.label,
                validate=lambda text: parse_length(text)[1],
                limit=30,
            ),
            chosen,
        )

    def action_new(self) -> None:
        self.open_editor(None)

    def open_editor(self, pattern: Pattern | None) -> None:
        """The editor for one of the user's own patterns, or for a new one."""
        editor = PatternEditor(pattern, taken_names=[p.name for p in self.patterns])
        editor.save_with = self._save_new if pattern is None else partial(self._save_changed, pattern, editor=editor)
        if pattern is not None and pattern.custom:
            editor.base = self.tend.store.get(BreathingPattern, custom_id(pattern))
        self.app.push_screen(editor)

    def _custom(self, record_id: int) -> Pattern | None:
        return next((p for p in self.customs if p.custom and custom_id(p) == record_id), None)

    def _save_new(self, result: dict[str, Any]) -> bool:
        with self.tend.saving("patterns") as attempt:
            record = self.tend.store.add(BreathingPattern(name=result["name"], phases=result["phases"]))
        if attempt.ok:
            self.last_key = f"custom-{record.id}"
            self.refresh_data()
            listing = self.query_one(PatternList)
            keys = [p.key for p in self.patterns]
            if self.last_key in keys:
                listing.highlighted = keys.index(self.last_key)
            self.notify("Saved. Press enter to breathe with it.", markup=False)
        return attempt.ok

    def action_edit(self) -> None:
        pattern = self._highlighted()
        if pattern is not None and pattern.custom:
            self.open_editor(pattern)

    def _save_changed(self, pattern: Pattern, result: dict[str, Any], editor: PatternEditor | None = None) -> bool:
        store = self.tend.store
        with self.tend.saving("patterns") as attempt:
            if editor is not None and isinstance(editor.base, BreathingPattern):  # merged with changes made elsewhere meanwhile
                editor.save_edit(store, replace(editor.base, name=result["name"], phases=result["phases"]))
            else:
                store.update(BreathingPattern(id=custom_id(pattern), name=result["name"], phases=result["phases"]))
        return attempt.ok

    def action_delete(self) -> None:
        pattern = self._highlighted()
        if pattern is None or not pattern.custom:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                with self.tend.saving("patterns"):
                    self.tend.store.remove(BreathingPattern, custom_id(pattern))

        question = Content.assemble(
            "Delete your pattern ", (clean_text(pattern.name), "bold"), "? Sessions you have breathed with it stay in your history."
        )
        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep it"), answered)
