"""The Breathing reset: choose a pattern and a length, breathe, and see it logged.

Three views:

* :class:`BreatheScreen` (the ``breathe`` mode): presets and your own patterns, the length.
* :class:`PatternEditor`: make or change a pattern of your own (errors beside each field).
* :class:`ExerciseScreen`: the breath itself, then a short closing view.

Over SSH every frame costs bytes, so the exercise never ticks at a frame rate. It asks the
timeline (:func:`app.breathing.next_change`) when anything visible will next change and sets
one timer for that moment; its two drawing widgets (:class:`QuietLines`) compare the new
lines with the old and repaint only the cells that differ.
"""

from __future__ import annotations

import time
from dataclasses import replace
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from app.breathing import (
    CUSTOM_SLOTS,
    LENGTH_MINUTES,
    NAME_MAX,
    PRESETS,
    BreathingRun,
    BreathState,
    Pattern,
    SessionLength,
    closing_line,
    figure_lines,
    figure_width,
    find_pattern,
    format_clock,
    format_seconds,
    parse_length,
    parse_seconds,
    pattern_from_record,
    progress_dots,
    validate_pattern,
)
from app.models import BreathingPattern, BreathingSession
from app.textclean import clean_text
from screens.base import DismissOnTop, TendScreen, safe
from screens.dialogs import ConfirmDialog, DraftForm, TextPrompt, reopen_draft

if TYPE_CHECKING:
    from app.tui import TendApp

EDITOR_DRAFT = "pattern-editor"


# --- drawing widgets ------------------------------------------------------------------------


def _plain(text: str) -> bool:
    """True when every character takes exactly one cell (so an index is a column)."""
    return cell_len(text) == len(text)


class QuietLines(Widget):
    """Rows of plain text that repaint only the cells that changed.

    Each row is ``(text, component_class)``. Rows are centred. When a row changes, only the
    span from its first to its last changed cell is marked dirty, so a countdown going from
    3 to 2 sends one character, not the screen.
    """

    DEFAULT_CSS = """
    QuietLines { height: auto; }
    QuietLines > .quiet--figure { color: $primary; }
    QuietLines > .quiet--phase { color: $foreground; text-style: bold; }
    QuietLines > .quiet--info { color: $foreground; }
    QuietLines > .quiet--note { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"quiet--figure", "quiet--phase", "quiet--info", "quiet--note"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._wanted: list[tuple[str, str]] = []
        self._rows: list[tuple[str, str]] = []

    def show(self, rows: Sequence[tuple[str, str]]) -> None:
        """Show these rows, repainting only what differs from what is on screen."""
        self._wanted = list(rows)
        self._apply()

    @property
    def rows(self) -> list[str]:
        """The text of each row as drawn (for tests)."""
        return [text for text, _ in self._rows]

    def _layout(self) -> list[tuple[str, str]]:
        width, height = self.size.width, self.size.height
        rows: list[tuple[str, str]] = []
        for text, style in self._wanted[:height]:
            cells = cell_len(text)
            if cells > width:
                text = text[:width]
                cells = cell_len(text)
            left = (width - cells) // 2
            rows.append((" " * left + text + " " * (width - cells - left), style))
        while len(rows) < height:
            rows.append((" " * width, ""))
        return rows

    def _apply(self) -> None:
        new = self._layout()
        old, self._rows = self._rows, new
        if len(old) != len(new) or any(len(a) != len(b) for (a, _), (b, _) in zip(old, new)):
            self.refresh()
            return
        for y, ((before, old_style), (after, new_style)) in enumerate(zip(old, new)):
            if before == after and old_style == new_style:
                continue
            if old_style != new_style or not (_plain(before) and _plain(after)):
                self.refresh(Region(0, y, self.size.width, 1))
                continue
            changed = [x for x, (a, b) in enumerate(zip(before, after)) if a != b]
            self.refresh(Region(changed[0], y, changed[-1] - changed[0] + 1, 1))

    def on_resize(self) -> None:
        self._rows = self._layout()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        text, component = self._rows[y]
        style = self.get_component_rich_style(component) if component else self.rich_style
        return Strip([Segment(text, style)], cell_len(text)).adjust_cell_length(width, self.rich_style)


class BreathFigure(QuietLines):
    """The breath drawn as a disc: small when empty, full when full (see ``figure_lines``)."""

    DEFAULT_CSS = """
    BreathFigure { width: 31; height: 15; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._breath = 0.0

    def show_size(self, size: float) -> None:
        """Draw the figure at ``size`` (0..1); nothing is sent unless its step changed."""
        self._breath = size
        self._apply()

    def _layout(self) -> list[tuple[str, str]]:
        lines = figure_lines(self._breath, self.size.width, self.size.height)
        return [(line, "quiet--figure") for line in lines]

    def on_resize(self) -> None:
        # Exactly as wide as the full disc, so no empty columns are ever sent.
        wanted = figure_width(self.size.height)
        if self.size.width != wanted and self.size.height:
            self.styles.width = wanted
        super().on_resize()


# --- the exercise ---------------------------------------------------------------------------


class ExerciseScreen(DismissOnTop, Screen[None]):
    """One breathing session: the figure and words while it runs, a closing view after."""

    CSS_PATH = "breathe.tcss"
    DEFAULT_CLASSES = "css-breathe"
    HELP = (
        "Breathe with the shape: it grows as you breathe in, stays still while you hold, and "
        "shrinks as you breathe out. The words and the countdown say the same, for eyes that "
        "would rather rest. Leaving part-way is fine; what you did is saved."
    )
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("space", "pause", "Pause", id="breathe.pause", tooltip="Pause for a moment"),
        Binding("space", "resume", "Carry on", id="breathe.resume", tooltip="Carry on after the pause"),
        Binding("escape", "end", "End", id="breathe.end", tooltip="End now (what you did is still saved)"),
        Binding("m", "motion", "Motion", id="breathe.motion", tooltip="Less motion: words and a small progress line only"),
        Binding("g", "bell", "Bell", id="breathe.bell", tooltip="Ring the bell at each new phase (for eyes closed)"),
        Binding("plus,equals_sign", "more", "More", id="breathe.more", tooltip="Add a cycle"),
        Binding("minus", "fewer", "Fewer", id="breathe.fewer", tooltip="One cycle fewer (never below the one you are in)"),
        Binding("enter", "again", "Again", id="breathe.again", tooltip="Breathe the same pattern again", key_display="enter"),
        Binding("p", "patterns", "Patterns", id="breathe.patterns", tooltip="Choose another pattern"),
        Binding("t", "today", "Today", id="breathe.today", tooltip="Go to Today"),
    ]
    _RUNNING_ACTIONS: ClassVar[frozenset[str]] = frozenset({"pause", "motion", "bell", "more", "fewer"})
    _ENDED_ACTIONS: ClassVar[frozenset[str]] = frozenset({"again", "patterns", "today"})

    def __init__(
        self,
        pattern: Pattern,
        cycles: int,
        *,
        length_label: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.pattern = pattern
        self.planned_cycles = cycles
        self.length_label = length_label
        self.clock = clock
        self.run = BreathingRun(pattern, cycles, clock=clock)
        self.reduced = False
        self.bell = False
        self.saved: dict[str, Any] | None = None
        """The summary saved for this run (None until it ends)."""
        self.save_ok = False
        self._timer: Timer | None = None
        self._last_phase: tuple[int, int] | None = None

    @property
    def tend(self) -> TendApp:
        return self.app  # type: ignore[return-value]

    # -- building

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="exercise-title")
        with Vertical(id="exercise"):
            with Horizontal(id="figure-row"):
                yield BreathFigure(id="figure")
            with Horizontal(id="text-row"):
                yield QuietLines(id="breath-text")
        with Vertical(id="ending"):
            yield Static("", id="ending-line")
            yield Static("", id="ending-summary")
            yield Static(
                Content.from_markup("[b $accent]enter[/] again    [b $accent]p[/] another pattern    [b $accent]t[/] Today"),
                id="ending-keys",
            )
        yield Footer(compact=True)

    def _title(self) -> Content:
        parts = [clean_text(self.pattern.name), self.pattern.rhythm]
        if self.length_label:
            parts.append(self.length_label)
        return Content.assemble(("Breathing reset", "bold"), "  ", safe("  ·  ".join(parts), multiline=False))

    def on_mount(self) -> None:
        settings = self.tend.store.settings()
        self.bell, self.reduced = settings.bell, settings.reduced_motion
        self.set_class(self.reduced, "-reduced")
        self.run.start()
        self.tick()

    # -- the clock

    def tick(self) -> None:
        """Show the session as it is now and sleep until something visible changes."""
        self._stop_timer()
        if self._taken_down():
            return
        state = self.run.state()
        self._show(state)
        if self.run.finished:
            self._finish()
            return
        delay = self.run.next_change(figure=not self.reduced)
        if delay is not None:
            # A millisecond late, so the change has certainly happened when we look.
            self._timer = self.set_timer(delay + 0.001, self.tick, name="breath")

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _taken_down(self) -> bool:
        """True once this screen's widgets are being taken down (it was closed): a timer or a
        key already on its way must then leave them alone."""
        return any(not self.query(part) for part in ("#figure", "#breath-text", "#ending-line", "#ending-summary"))

    def _show(self, state: BreathState) -> None:
        if self._taken_down():
            return
        if not self.reduced:
            self.query_one(BreathFigure).show_size(state.size)
        self.query_one("#breath-text", QuietLines).show(self._text_rows(state))
        if state.phase_id != self._last_phase:
            if self._last_phase is not None and self.bell and not state.finished:
                self.app.bell()
            self._last_phase = state.phase_id

    def _text_rows(self, state: BreathState) -> list[tuple[str, str]]:
        done = f"{state.cycles_done} of {state.cycles} cycles done"
        if self.run.paused:
            note = "Paused. Press space to carry on."
        elif self.bell:
            note = "The bell rings at each new phase."
        else:
            note = ""
        return [
            (f"{state.label}  {state.countdown}", "quiet--phase"),
            (progress_dots(state) if self.reduced else "", "quiet--info"),
            (f"{done}  ·  {format_clock(state.seconds_left)} left", "quiet--info"),
            (note, "quiet--note"),
        ]

    # -- the end

    def _finish(self) -> None:
        self._stop_timer()
        self._save()
        summary = self.saved or self.run.summary()
        cycles = summary["cycles_done"]
        cycle_word = "cycle" if cycles == 1 else "cycles"
        facts = f"{cycles} {cycle_word}  ·  {format_clock(summary['actual_seconds'])}"
        facts += "  ·  saved to your history" if self.save_ok else "  ·  not saved this time"
        self.query_one("#ending-line", Static).update(Content(closing_line(summary)))
        self.query_one("#ending-summary", Static).update(
            Content.assemble(safe(self.pattern.name, multiline=False), "  ·  ", facts)
        )
        self.add_class("-ended")
        self.refresh_bindings()

    def _save(self) -> None:
        """Log the session once (finished or ended early)."""
        if self.saved is not None or not self.run.started:
            return
        summary = self.run.summary()
        self.saved = summary
        record = BreathingSession(
            when=self.run.started_at or BreathingSession().when,
            pattern=self.pattern.key,
            pattern_name=self.pattern.name,
            planned_seconds=summary["planned_seconds"],
            actual_seconds=summary["actual_seconds"],
            cycles_planned=summary["cycles_planned"],
            cycles_done=summary["cycles_done"],
            completed=summary["completed"],
        )
        with self.tend.saving("breathing") as attempt:
            self.tend.store.add(record)
        self.save_ok = attempt.ok

    def save_draft(self) -> None:
        """Tend is closing (or the connection dropped): log what was breathed so far."""
        if self.run.started and not self.run.finished:
            self.run.end_early()
        self._save()

    def on_unmount(self) -> None:
        self._stop_timer()
        self.save_draft()

    # -- leaving and coming back

    def on_screen_resume(self) -> None:
        # Back here because a new session was asked for (Today's "1 min breathe")? Then this
        # one ends (and is logged as it stands) and the pattern list starts the new one.
        if self.tend.start_options.get("pattern"):
            self.dismiss(None)

    def on_screen_suspend(self) -> None:
        # Another screen is on top (help, hide, a different mode): hold the breath clock.
        if self.run.pause():
            self._stop_timer()
            self._show(self.run.state())

    # -- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        ended = self.run.finished
        if action == "pause":
            return not ended and not self.run.paused
        if action in self._RUNNING_ACTIONS:
            return not ended
        if action in self._ENDED_ACTIONS:
            return ended
        if action == "end":
            return not ended  # afterwards escape goes back to the patterns (the app's "back")
        if action == "resume":  # space says what it will do: pause, or carry on
            return not ended and self.run.paused
        return True

    def action_resume(self) -> None:
        if self.run.paused:
            self.action_pause()

    def action_pause(self) -> None:
        if self.run.finished:
            return
        self.run.toggle_pause()
        self.refresh_bindings()
        if self.run.paused:
            self._stop_timer()
            self._show(self.run.state())
        else:
            self.tick()

    def action_end(self) -> None:
        if self.run.finished:
            return
        self.run.end_early()
        self.tick()

    def action_motion(self) -> None:
        self.reduced = not self.reduced
        self.set_class(self.reduced, "-reduced")
        self._remember(reduced_motion=self.reduced)
        if not self.reduced and not self._taken_down():
            self.query_one(BreathFigure).show_size(self.run.state().size)
        if not self.run.paused:
            self.tick()
        else:
            self._show(self.run.state())

    def action_bell(self) -> None:
        self.bell = not self.bell
        self._remember(bell=self.bell)
        if self.bell:
            self.app.bell()
        self._show(self.run.state())

    def action_more(self) -> None:
        if self.run.add_cycle():
            self._refresh_now()

    def action_fewer(self) -> None:
        if self.run.remove_cycle():
            self._refresh_now()
        else:
            self.notify("That's the cycle you're in, so it stays. Escape ends now.", markup=False, timeout=4)

    def _refresh_now(self) -> None:
        if self.run.paused:
            self._show(self.run.state())
        else:
            self.tick()

    def action_again(self) -> None:
        self._stop_timer()
        self.run = BreathingRun(self.pattern, self.planned_cycles, clock=self.clock)
        self.saved, self.save_ok, self._last_phase = None, False, None
        self.remove_class("-ended")
        self.refresh_bindings()
        self.run.start()
        self.tick()

    def action_patterns(self) -> None:
        self.dismiss(None)

    def action_today(self) -> None:
        self.dismiss(None)
        self.tend.action_go("today")

    def _remember(self, **changes: Any) -> None:
        if self.tend.store.read_only:
            return
        with self.tend.saving("settings"):
            self.tend.store.update_settings(**changes)


# --- the custom pattern editor --------------------------------------------------------------


def custom_id(pattern: Pattern) -> int:
    """The record id behind a pattern of the user's own (key ``custom-<id>``)."""
    return int(pattern.key.removeprefix("custom-"))


class PatternEditor(DraftForm[dict[str, Any] | None]):
    """Make or change a pattern of your own. Dismisses with ``{"name", "phases"}`` or None."""

    CSS_PATH = "breathe.tcss"
    DEFAULT_CLASSES = "css-breathe"
    DRAFT_KEY = EDITOR_DRAFT
    DRAFT_RECORD = BreathingPattern
    GONE_NOTE = "The pattern you were changing was deleted in the meantime, so your changes are back as a new one."
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="editor.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Save the pattern"),
    ]

    def __init__(self, pattern: Pattern | None = None, *, taken_names: Sequence[str] = ()) -> None:
        super().__init__()
        self.pattern = pattern
        self.taken_names = [name for name in taken_names if not pattern or name != pattern.name]
        self.draft_for = custom_id(pattern) if pattern and pattern.custom else None

    def _initial_seconds(self) -> list[str]:
        """The four fields' values: in, hold after in, out, hold after out."""
        if self.pattern is None:
            return ["4", "0", "6", "0"]
        values = [0.0, 0.0, 0.0, 0.0]
        breathed_out = False
        for kind, seconds in self.pattern.phases:
            if kind == "inhale":
                values[0] += seconds
            elif kind == "exhale":
                values[2] += seconds
                breathed_out = True
            else:
                values[3 if breathed_out else 1] += seconds
        return [format_seconds(min(value, 20.0)) for value in values]

    def compose(self) -> ComposeResult:
        title = "Your own pattern" if self.pattern is None else "Change your pattern"
        with Vertical(id="editor", classes="dialog"):
            yield Static(Content.styled(title, "bold"), classes="dialog-title")
            with Horizontal(classes="field-row"):
                yield Label("Name", classes="field-label")
                yield Input(
                    self.pattern.name if self.pattern else "",
                    placeholder="e.g. Before supervision",
                    max_length=NAME_MAX * 2,
                    id="field-name",
                    compact=True,
                )
            yield Static("", id="error-name", classes="field-error below", markup=False)
            for index, ((_, label), value) in enumerate(zip(CUSTOM_SLOTS, self._initial_seconds())):
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield Input(value, max_length=6, id=f"field-phase-{index}", classes="seconds", compact=True)
                    yield Label("s", classes="field-unit")
                    yield Static("", id=f"error-phase-{index}", classes="field-error", markup=False)
            yield Static("", id="error-phases", classes="field-error below", markup=False)
            yield Static(
                Content("Each part 0 to 20 seconds, in half seconds. 0 leaves a hold out."),
                classes="dialog-hint",
            )
            yield Static(
                Content.from_markup("[b]enter[/b] save   [b]tab[/b] next field   [b]escape[/b] cancel"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.restore_draft()

    # Drafts: an SSH drop (SIGHUP) or quit while the editor is open keeps what was typed.

    def draft_fields(self) -> dict[str, Any]:
        name, phases = self._values()
        return {"name": name, "phases": [value for _, value in phases]}

    def fill_draft(self, draft: dict[str, Any]) -> None:
        self.refill("#field-name", draft.get("name"))
        phases = draft.get("phases")
        if isinstance(phases, list) and len(phases) == len(CUSTOM_SLOTS):
            for index, value in enumerate(phases):
                self.refill(f"#field-phase-{index}", value)

    def _values(self) -> tuple[str, list[tuple[str, object]]]:
        name = self.query_one("#field-name", Input).value
        phases = [
            (kind, self.query_one(f"#field-phase-{index}", Input).value)
            for index, (kind, _) in enumerate(CUSTOM_SLOTS)
        ]
        return name, phases

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        # The message next to a field goes once the field is changed.
        if event.input.id:
            self._say(event.input.id.removeprefix("field-"), "")

    def _say(self, field: str, message: str) -> None:
        """Show ``message`` beside ``field`` (lines under a field take no room when empty)."""
        error = self.query_one(f"#error-{field}", Static)
        error.update(Content(message))
        if error.has_class("below"):
            error.display = bool(message)

    def action_save(self) -> None:
        name, phases = self._values()
        errors = validate_pattern(name, phases, taken_names=self.taken_names)
        for field in ["name", "phases", *(f"phase-{i}" for i in range(len(CUSTOM_SLOTS)))]:
            self._say(field, errors.get(field, ""))
        if errors:
            first = next(iter(errors))
            if first != "phases":
                self.query_one(f"#field-{first}", Input).focus()
            return
        kept = [[kind, parse_seconds(value)] for kind, value in phases if parse_seconds(value) > 0]
        self.submit({"name": clean_text(name, limit=NAME_MAX), "phases": kept})

    def action_cancel(self) -> None:
        self.clear_draft()
        self.dismiss(None)


# --- the pattern list -----------------------------------------------------------------------


class PatternList(OptionList):
    """The patterns; enter starts the highlighted one."""

    BINDINGS: ClassVar[list[Binding]] = [
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
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("1", "minutes(1)", "1 min", id="breathe.one", tooltip="Breathe for about 1 minute", show=False),
        Binding("2", "minutes(2)", "2 min", id="breathe.two", tooltip="Breathe for about 2 minutes", show=False),
        Binding("3", "minutes(3)", "3 min", id="breathe.three", tooltip="Breathe for about 3 minutes", show=False),
        Binding("5", "minutes(5)", "5 min", id="breathe.five", tooltip="Breathe for about 5 minutes", show=False),
        Binding("m", "length", "Length", id="breathe.length", tooltip="Any length: minutes (like 4) or cycles (like 6 cycles)"),
        Binding("n", "new", "New", id="breathe.new", tooltip="Make a pattern of your own"),
        Binding("e", "edit", "Edit", id="breathe.edit", tooltip="Change the highlighted pattern of yours"),
        Binding("d,delete", "delete", "Delete", id="breathe.delete", tooltip="Delete the highlighted pattern of yours"),
    ]

    clock: ClassVar[Callable[[], float]] = staticmethod(time.monotonic)  # type: ignore[assignment]
    """The monotonic clock sessions run on (tests put a fake one here)."""

    def __init__(self) -> None:
        super().__init__()
        self.customs: list[Pattern] = []
        self.length = SessionLength()
        self.last_key = "box"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="length", markup=False)
        yield PatternList(id="patterns")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_data()
        self._apply_start_options()
        # A pattern left half-made (Tend closed, or the connection dropped) opens again as it
        # was, unless a session was asked for (that comes first; the draft waits).
        self.call_after_refresh(reopen_draft, self, EDITOR_DRAFT, self._custom, self.open_editor)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        # Today (or anything else) may ask for a session: start_options then say which.
        self._apply_start_options()

    # -- data

    @property
    def patterns(self) -> list[Pattern]:
        """Every pattern on offer: presets first, then yours."""
        return [*PRESETS, *self.customs]

    def refresh_data(self) -> None:
        store = self.tend.store
        self.customs = [p for p in map(pattern_from_record, store.all(BreathingPattern)) if p is not None]
        last = store.settings().breathe_last
        self.length = SessionLength.from_dict(last.get("length"))
        self.last_key = str(last.get("pattern") or self.last_key)
        listing = self.query_one(PatternList)
        current = listing.highlighted_option.id if listing.highlighted_option else self.last_key
        options = [Option(pattern_prompt(p), id=p.key) for p in self.patterns]
        options.append(Option(Content.assemble(("+ Make a pattern of your own", "bold"), ("  (n)", "$text-muted")), id="new"))
        listing.set_options(options)
        keys = [p.key for p in self.patterns]
        listing.highlighted = keys.index(current) if current in keys else 0
        self._show_length()

    def _apply_start_options(self) -> None:
        """``tend breathe --pattern box --minutes 2``: take the length, start at once."""
        options = self.tend.start_options
        minutes, cycles = options.pop("minutes", None), options.pop("cycles", None)
        if cycles is not None:
            self.length = SessionLength(minutes=None, cycles=int(cycles))
        elif minutes is not None:
            self.length = SessionLength(minutes=float(minutes))
        if minutes is not None or cycles is not None:
            self._remember()
            self._show_length()
        name = options.pop("pattern", None)
        if name:
            pattern = find_pattern(name, self.patterns)
            if pattern is None:
                self.notify(f"There is no pattern called {clean_text(name, limit=40)!r}; choose one here.", markup=False)
            else:
                self.call_after_refresh(self.start, pattern, self.length)

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
            self.start(pattern)

    # -- starting

    def start(self, pattern: Pattern, length: SessionLength | None = None) -> None:
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
            if editor is not None and editor.base is not None:  # merged with changes made elsewhere meanwhile
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
