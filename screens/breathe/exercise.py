"""One breathing session: the figure and the words while it runs, a closing view after."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from app.breathing import BreathingRun, BreathState, Pattern, closing_line, format_clock, progress_dots
from app.breathing_history import saved_words
from app.storage import LockBusy
from app.textclean import clean_text
from screens.base import DismissOnTop, key_hints, safe
from screens.shell import save_when_free
from screens.breathe.drawing import BreathFigure, QuietLines

if TYPE_CHECKING:
    from screens.shell import TendShell


class ExerciseScreen(DismissOnTop, Screen[None]):
    """One breathing session: the figure and words while it runs, a closing view after."""

    CSS_PATH = "breathe.tcss"
    DEFAULT_CLASSES = "css-breathe"
    HELP = (
        "Breathe with the shape: it grows as you breathe in, stays still while you hold, and "
        "shrinks as you breathe out. The words and the countdown say the same, for eyes that "
        "would rather rest. Leaving part-way is fine; what you did is saved."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
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
    ended: var[bool] = var(False, bindings=True, toggle_class="-ended", init=False)
    """True once the session has ended: the closing view shows (``-ended``) and its keys work."""
    reduced: var[bool] = var(False, toggle_class="-reduced", init=False)
    """Less motion: words and a small progress line, no figure (``-reduced``)."""

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
        self.bell = False
        self.saved: dict[str, Any] | None = None
        """The summary saved for this run (None until it ends)."""
        self.save_ok = False
        self.save_waits = False
        """The save found another Tend saving: it is made once that Tend has finished."""
        self._timer: Timer | None = None
        self._last_phase: tuple[int, int] | None = None

    @property
    def tend(self) -> TendShell:
        return cast("TendShell", self.app)

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
            yield Static(key_hints(self, "again", "patterns", "today", style="bold $accent", separator="    "), id="ending-keys")
        yield Footer(compact=True)

    def _title(self) -> Content:
        parts = [clean_text(self.pattern.name), self.pattern.rhythm]
        if self.length_label:
            parts.append(self.length_label)
        return Content.assemble(("Breathing reset", "bold"), "  ", safe("  ·  ".join(parts), multiline=False))

    def on_mount(self) -> None:
        self.tend.draft_keepers.add(self)  # a session under way is logged on quit and hangup
        settings = self.tend.preferences()  # the config file's bell and reduced motion win
        self.bell, self.reduced = settings.bell, settings.reduced_motion
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
        self.ended = True
        self._show_ending()

    def _show_ending(self) -> None:
        summary = self.saved or self.run.summary()
        cycles = summary["cycles_done"]
        cycle_word = "cycle" if cycles == 1 else "cycles"
        facts = f"{cycles} {cycle_word}  ·  {format_clock(summary['actual_seconds'])}"
        if self.save_waits and not self.save_ok:
            facts += "  ·  saved once the other Tend has finished"
        else:
            facts += f"  ·  {saved_words(summary, self.save_ok)}"
        self.query_one("#ending-line", Static).update(Content(closing_line(summary)))
        self.query_one("#ending-summary", Static).update(
            Content.assemble(safe(self.pattern.name, multiline=False), "  ·  ", facts)
        )

    def _save(self) -> None:
        """Log the session once (finished or ended early)."""
        if self.saved is not None or not self.run.started:
            return
        summary = self.run.summary()
        self.saved = summary
        record = self.run.record(summary)
        store = self.tend.store
        attempt = save_when_free(self.tend, "breathing", lambda: store.add(record), lambda: self._saved_later(summary))
        self.save_ok, self.save_waits = attempt.ok, isinstance(attempt.error, LockBusy)

    def _saved_later(self, summary: dict[str, Any]) -> None:
        """Saved once another Tend had finished saving: the ending says so, if it shows."""
        if self.saved is summary and not self.save_ok:  # still this session (not one begun again)
            self.save_ok, self.save_waits = True, False
            if self.ended and self.is_mounted:
                self._show_ending()

    def save_draft(self) -> None:
        """Tend is closing (or the connection dropped): log what was breathed so far."""
        if self.run.started and not self.run.finished:
            self.run.end_early()
        self._save()

    def on_unmount(self) -> None:
        self.tend.draft_keepers.discard(self)
        self._stop_timer()
        self.save_draft()

    # -- leaving and coming back

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
        self.saved, self.save_ok, self.save_waits, self._last_phase = None, False, False, None
        self.ended = False
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
