"""The Body scan screen: a one-minute check of where the work sits, and what to do next.

Three views in one screen (a ``ContentSwitcher``):

* **item**: one item at a time. Quick mode: a number rates and moves on, so a whole scan is a
  row of key presses. Guided mode: the screen moves on by itself after a few seconds, with a
  visible countdown; space holds. Letters toggle sensation words, ``e`` writes a note.
* **summary**: where the load sits, the total, the change since last time, sparklines over 14
  and 30 days, and next steps on ``1`` ``2`` ``3``.
* **history**: past scans, newest first; enter opens one.

All the thinking is in :mod:`app.bodyscan`; this module only draws it and saves. The scan in
progress is saved as a draft after every change (and by the app on quit, SIGHUP and SIGTERM),
and the next time the screen opens it is offered again.

Guided time comes from :attr:`ScanScreen.clock` (``time.monotonic``); tests give the screen
a fake clock and call :meth:`ScanScreen.tick`, so nothing sleeps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import ClassVar

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, OptionList, Static
from textual.widgets.option_list import Option

from app import bodyscan as bs
from app.bodyscan import ScanRecord, ScanState
from app.models import Colleague, Contact, MessageTemplate
from app.people import Standing, Template, all_templates, describe_due, fill_template, latest_contacts, rank_colleagues
from screens.base import DismissOnTop, TendScreen, safe

DRAFT_KEY = "scan"
TICK_SECONDS = 0.25
FRESH_AFTER_MINUTES = 20
"""Coming back to a summary older than this starts a new scan (the old one is in history)."""

ITEM, SUMMARY, HISTORY = "item", "summary", "history"
ITEM_ACTIONS = frozenset({"rate", "next", "back", "skip", "done", "note", "toggle", "pace", "hold"})

HEAVY_DAY_TEMPLATE = "After a heavy day"


def spark_charset() -> str:
    """Block shades (they are in the Linux console font); plain ASCII where asked or needed.

    ``TEND_ASCII=1`` forces ASCII, and so do terminals that predate Unicode (vt100, vt220).
    """
    if os.environ.get("TEND_ASCII") or os.environ.get("TERM", "") in {"vt100", "vt220", "ansi"}:
        return bs.SPARK_ASCII
    return bs.SPARK_UNICODE


def _when_text(record: ScanRecord) -> str:
    return record.when().format("ddd D MMM, HH:mm")


# --------------------------------------------------------------------------- small widgets


class NoteInput(Input):
    """The one-line note. Enter keeps it, escape leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="scan.note.cancel", tooltip="Close the note without changing it"),
    ]

    class Cancelled(Message):
        """The person closed the note without keeping it."""

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


class ResumeDialog(DismissOnTop, ModalScreen[bool]):
    """Offer the scan left half-done. Enter carries on, ``n`` starts fresh; escape keeps it."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y,escape", "answer(True)", "Carry on", id="scan.resume.yes", tooltip="Carry on where you left off"),
        Binding("n", "answer(False)", "Start fresh", id="scan.resume.no", tooltip="Put the unfinished scan away and start again"),
    ]

    def __init__(self, state: ScanState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        started = pendulum.parse(self.state.started_at).in_timezone(pendulum.local_timezone())  # type: ignore[union-attr]
        text = (
            f"You started a scan on {started.format('ddd D MMM')} at {started.format('HH:mm')} "
            f"and got as far as {self.state.item.label.lower()} ({self.state.progress()}). "
            "Carry on from there?"
        )
        with Vertical(classes="dialog"):
            yield Static(Content("A scan is waiting"), classes="dialog-title")
            yield Static(Content(text), classes="dialog-text")
            yield Static(
                Content.from_markup("[b]enter[/b] carry on   [b]n[/b] start fresh"), classes="dialog-hint"
            )

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class CheckInDialog(DismissOnTop, ModalScreen[None]):
    """The colleague most due, with a check-in message ready to copy (the heavy-day one first)."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CLASSES = "css-dialogs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,c,enter", "copy", "Copy", id="scan.checkin.copy", tooltip="Copy the message"),
        Binding("n", "another", "Another message", id="scan.checkin.next", tooltip="Show another message"),
        Binding("l", "log", "Log as sent", id="scan.checkin.log", tooltip="Log it as a message to them (resets their cycle)"),
        Binding("escape", "close", "Close", id="scan.checkin.close", tooltip="Close"),
    ]

    def __init__(self, colleague: Colleague, where: Standing, templates: list[Template]) -> None:
        super().__init__()
        self.colleague = colleague
        self.where = where
        self.templates = templates
        names = [t.name for t in templates]
        self.index = names.index(HEAVY_DAY_TEMPLATE) if HEAVY_DAY_TEMPLATE in names else 0

    @property
    def template(self) -> Template:
        """The message template on show."""
        return self.templates[self.index]

    @property
    def message(self) -> str:
        """The message as it will be copied, with the name filled in."""
        return fill_template(self.template.text, self.colleague.name)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.assemble(("Check in with ", "bold"), safe(self.colleague.name, multiline=False).stylize("bold")),
                classes="dialog-title",
            )
            yield Static(Content(bs.REACH_OUT_TEXT), classes="dialog-text")
            yield Static(Content(describe_due(self.where)), classes="dialog-text", id="checkin-due")
            yield Static(safe(self.message), classes="dialog-text checkin-message", id="checkin-message")
            yield Static(
                Content.from_markup("[b]y[/b] copy   [b]n[/b] another message   [b]l[/b] log as sent   [b]esc[/b] close"),
                classes="dialog-hint",
            )

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.message)
        self.notify("Copied. It is also on screen, to select by hand if your terminal needs it.", markup=False)

    def action_another(self) -> None:
        self.index = (self.index + 1) % len(self.templates)
        self.query_one("#checkin-message", Static).update(safe(self.message))

    def action_log(self) -> None:
        tend = self.app
        with tend.saving("contacts") as attempt:  # type: ignore[attr-defined]
            tend.store.add(  # type: ignore[attr-defined]
                Contact(colleague_id=self.colleague.id, when=pendulum.now(), kind="message", note=self.template.name)
            )
        if attempt.ok:
            self.notify("Logged. Their cycle starts again from today.", markup=False)
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def most_due_colleague(colleagues: list[Colleague], contacts: list[Contact]) -> tuple[Colleague, Standing] | None:
    """The colleague most due a check-in, with how things stand, or ``None`` with nobody.

    Uses the same ranking as the colleagues screen and Today, so all three agree.
    """
    ranked = rank_colleagues(colleagues, contacts)
    return (ranked[0].colleague, ranked[0].where) if ranked else None


# --------------------------------------------------------------------------- the screen


def _bindings() -> list[BindingType]:
    scale = "0 none, 1 a little, 2 noticeable, 3 strong (sleep: 1 poor, 2 ok, 3 good)"
    rate = [
        Binding(
            str(level.value),
            f"rate({level.value})",
            "Rate",
            key_display="0-3" if level.value == 1 else None,
            show=level.value == 1,
            id=f"scan.rate.{level.value}",
            tooltip=f"Rate this item: {scale}" if level.value == 1 else "",
        )
        for level in bs.LOAD_SCALE.levels
    ]
    words = [
        Binding(s.letter, f"toggle('{s.word}')", s.word, show=False, id=f"scan.word.{s.word}", tooltip=f"Mark or unmark '{s.word}'")
        for s in bs.SENSATIONS
    ]
    steps = [
        Binding(
            str(n),
            f"step({n})",
            "Next step",
            key_display="1-3" if n == 1 else None,
            show=n == 1,
            id=f"scan.step.{n}",
            tooltip="Take the next step with that number" if n == 1 else "",
        )
        for n in (1, 2, 3)
    ]
    return [
        *rate,
        Binding("s", "skip", "Skip", id="scan.skip", tooltip="Leave this one unrated and move on"),
        Binding("left", "back", "Back", key_display="left", id="scan.back", tooltip="Back to the previous item"),
        Binding("backspace", "back", "Back", key_display="backspace", show=False, id="scan.back.bs", tooltip="Back to the previous item"),
        Binding("right", "next", "Next", key_display="right", show=False, id="scan.next", tooltip="On to the next item, keeping what is there"),
        Binding("e", "note", "Note", show=False, id="scan.note", tooltip="Write a short note on this item"),
        Binding("d", "done", "Done", id="scan.done", tooltip="Finish now; the rest stays unrated"),
        Binding("space", "hold", "Hold", id="scan.hold", tooltip="Hold or resume the countdown"),
        Binding("g", "pace", "Guided/quick", show=False, id="scan.pace", tooltip="Switch between quick and guided"),
        *words,
        *steps,
        Binding("n", "new", "New scan", id="scan.new", tooltip="Start a new scan"),
        Binding("h", "history", "History", id="scan.history", tooltip="Past scans"),
        Binding("escape", "leave", "Back", show=False, id="scan.leave", tooltip="Go back"),
    ]


class ScanScreen(TendScreen):
    """The body scan: items, summary, history."""

    MODE = "scan"
    TITLE_TEXT = "Body scan"
    CSS_PATH = "scan.tcss"
    DEFAULT_CLASSES = "css-scan"
    HELP = (
        "A short pass through the body, last night's sleep and the signals that it may be time "
        "to reach out. Rate each with a number (0 none to 3 strong; sleep 1 poor to 3 good); in "
        "quick mode that moves on by itself. Letters mark words like tight or heavy (the letter "
        "is shown next to each word). Anything can be skipped, and a scan you leave is kept."
    )
    BINDINGS = _bindings()
    AUTO_FOCUS = ""
    """Nothing takes focus on its own: the keys belong to the scan until a note is open."""

    view: reactive[str] = reactive(ITEM, bindings=True)

    clock: Callable[[], float] = staticmethod(time.monotonic)
    """The monotonic clock guided mode runs on; tests replace it."""

    def __init__(self) -> None:
        super().__init__()
        self.state = ScanState.new()
        self.pacer = bs.Pacer(float(self.state.seconds), 0.0)
        self._pacer_index = -1
        self._shown_countdown: int | None = None
        self._timer: Timer | None = None
        self._history: list[bs.HistoryRow] = []
        """The past scans listed, newest first."""
        self._history_total = 0
        """How many scans there are in all (the list starts with the newest ones)."""
        self._history_all = False
        self._summary: bs.Summary | None = None
        """The summary on show (the scan just finished, or one opened from history)."""
        self._latest: bs.Summary | None = None
        """The summary of the scan finished on this visit, if any."""
        self._summary_from_history = False
        self._finished_at: pendulum.DateTime | None = None
        self._offered_draft = False
        self._editing_note = False
        self._auto_held = False
        """True while the countdown is held because something covers the screen."""
        self._start_seconds: int | None = None
        self._guided_from_cli = False

    # -- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial=ITEM, id="scan-views"):
            with Vertical(id=ITEM):
                with Horizontal(id="item-head"):
                    yield Static("", id="item-title", markup=False)
                    yield Static("", id="item-progress", markup=False)
                yield Static("", id="item-strip", markup=False)
                yield Static("", id="item-label", markup=False)
                yield Static("", id="item-cue", markup=False)
                yield Static("", id="item-scale", markup=False)
                yield Static("", id="item-words", markup=False)
                yield Static("", id="item-note", markup=False)
                yield NoteInput(placeholder="A few words, just for you", id="item-note-input", max_length=bs.NOTE_LIMIT)
                yield Static("", id="item-pace", markup=False)
            with VerticalScroll(id=SUMMARY, can_focus=True):
                yield Static("", id="summary-title", markup=False)
                yield Static("", id="summary-load", markup=False)
                yield Static("", id="summary-total", markup=False)
                yield Static(Content("Next steps"), classes="section-title")
                yield Static("", id="summary-steps", markup=False)
                yield Static("", id="summary-trends", markup=False)
            with Vertical(id=HISTORY):
                yield Static(Content("Past scans"), classes="section-title", id="history-title")
                yield Static("", id="history-empty", classes="empty", markup=False)
                yield OptionList(id="history-list")
                yield Static(
                    Content.from_markup("[b]enter[/b] open   [b]n[/b] new scan   [b]esc[/b] back"),
                    id="history-hint",
                    classes="muted",
                )

    def on_mount(self) -> None:
        super().on_mount()
        options = self.tend.start_options if self.tend.start_mode == self.MODE else {}
        mode = bs.GUIDED if options.get("guided") else bs.QUICK
        self._start_seconds = options.get("seconds")
        self.state = ScanState.new(mode, self._start_seconds or bs.DEFAULT_SECONDS)
        self._guided_from_cli = bool(options.get("guided"))
        self._timer = self.set_interval(TICK_SECONDS, self.tick, pause=True)
        self.render_item()

    # -- data ------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Offer a waiting draft once; keep history and summary current."""
        if not self._offered_draft:
            self._offered_draft = True
            self._offer_draft()
        if self.view != ITEM and self._finished_at is not None:
            if pendulum.now() - self._finished_at > pendulum.duration(minutes=FRESH_AFTER_MINUTES):
                self.start_new()
                return
        if self.view == HISTORY:
            self._load_history()
            self.render_history()

    def _load_history(self) -> None:
        records, self._history_total = bs.newest_scans(self.tend.store, None if self._history_all else bs.HISTORY_PAGE)
        self._history = bs.history_rows(records)

    def _offer_draft(self) -> None:
        data = self.tend.store.draft(DRAFT_KEY)
        if not data:
            return
        waiting = ScanState.from_dict(data)
        if waiting.is_empty or waiting.finished:
            return

        def answered(carry_on: bool | None) -> None:
            if carry_on:
                if self._guided_from_cli:
                    waiting.set_mode(bs.GUIDED)
                if self._start_seconds:
                    waiting.seconds = bs.clamp_seconds(self._start_seconds)
                self.state = waiting
                self._pacer_index = -1
            else:
                with self.tend.saving("drafts"):
                    self.tend.store.clear_draft(DRAFT_KEY)
            self.render_item()

        self.app.push_screen(ResumeDialog(waiting), answered)

    def save_draft(self) -> None:
        """Keep the scan in progress (the app calls this on quit, SIGHUP and SIGTERM)."""
        if self.state.finished or self.state.is_empty or self.tend.store.read_only:
            return
        self.tend.store.save_draft(DRAFT_KEY, self.state.to_dict())

    def _save_draft_now(self) -> None:
        if self.state.finished or self.tend.store.read_only:
            return
        with self.tend.saving("drafts"):
            if self.state.is_empty:
                self.tend.store.clear_draft(DRAFT_KEY)
            else:
                self.tend.store.save_draft(DRAFT_KEY, self.state.to_dict())

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ITEM_ACTIONS:
            if self.view != ITEM or self._editing_note or self.state.finished:
                return False
            if action == "hold":
                return self.state.mode == bs.GUIDED
            if action == "rate":
                return self.state.item.scale.accepts(parameters[0] if parameters else None)
            return True
        if action == "step":
            count = len(self._summary.suggestions) if self._summary else 0
            return self.view == SUMMARY and bool(parameters) and int(parameters[0]) <= count  # type: ignore[call-overload]
        if action == "new":
            return self.view in (SUMMARY, HISTORY)
        if action == "history":
            return self.view == SUMMARY
        return True

    def _apply(self, changed: bool) -> None:
        if not changed:
            return
        if self.state.finished:
            self.finish_scan()
            return
        self._save_draft_now()
        self.render_item()

    def action_rate(self, value: int) -> None:
        self._apply(self.state.rate(value))

    def action_next(self) -> None:
        self._apply(self.state.next())

    def action_back(self) -> None:
        self._apply(self.state.back())

    def action_skip(self) -> None:
        self._apply(self.state.skip())

    def action_done(self) -> None:
        self._apply(self.state.finish())

    def action_toggle(self, word: str) -> None:
        self._apply(self.state.toggle(word))

    def action_pace(self) -> None:
        other = bs.QUICK if self.state.mode == bs.GUIDED else bs.GUIDED
        self._apply(self.state.set_mode(other))
        self.refresh_bindings()

    def action_hold(self) -> None:
        self.pacer.toggle(self.clock())
        self.render_pace()

    def action_note(self) -> None:
        note_input = self.query_one(NoteInput)
        note_input.value = self.state.note()
        note_input.display = True
        self._editing_note = True
        self.pacer.hold(self.clock())
        note_input.focus()
        self.refresh_bindings()
        self.render_pace()

    @on(Input.Submitted, "#item-note-input")
    def _note_kept(self, event: Input.Submitted) -> None:
        event.stop()
        changed = self.state.set_note(event.value)
        self._close_note()
        self._apply(changed)

    @on(NoteInput.Cancelled)
    def _note_cancelled(self) -> None:
        self._close_note()

    def _close_note(self) -> None:
        note_input = self.query_one(NoteInput)
        note_input.display = False
        self._editing_note = False
        self.pacer.resume(self.clock())
        self.set_focus(None)
        self.refresh_bindings()
        self.render_item()

    def action_leave(self) -> None:
        """Escape: back within the scan's views, else where the app's escape goes."""
        if self.view == SUMMARY and self._summary_from_history:
            self.show_history(fresh=False)
        elif self.view == HISTORY and self._latest is not None:
            self._summary, self._summary_from_history = self._latest, False
            self._switch(SUMMARY)
            self.render_summary()
        else:
            self.tend.action_back()

    def action_new(self) -> None:
        self.start_new()

    def action_history(self) -> None:
        self.show_history()

    def action_step(self, number: int) -> None:
        if self._summary is None or not 1 <= number <= len(self._summary.suggestions):
            return
        suggestion = self._summary.suggestions[number - 1]
        if suggestion.kind == bs.REACH_OUT:
            self.reach_out()
        elif suggestion.pattern:
            self.start_breathing(suggestion.pattern)

    # -- next steps ------------------------------------------------------------------------

    def _most_due(self) -> tuple[Colleague, Standing] | None:
        store = self.tend.store
        return most_due_colleague(store.all(Colleague), latest_contacts(store))

    def reach_out(self) -> None:
        """Open the colleague most due with a message ready, or the colleagues screen."""
        found = self._most_due()
        if found is None:
            self.tend.action_go("colleagues")
            return
        templates = all_templates(self.tend.store.all(MessageTemplate))
        self.app.push_screen(CheckInDialog(*found, templates))

    def start_breathing(self, pattern: str) -> None:
        """Go to the breathing screen with ``pattern`` asked for.

        Same hand-over as Today uses: the pattern goes in ``start_options`` and the breathing
        screen takes it from there when it is shown.
        """
        self.tend.start_options.update({"pattern": pattern})
        self.tend.action_go("breathe")

    # -- flow ------------------------------------------------------------------------------

    def start_new(self, mode: str | None = None) -> None:
        """Start a fresh scan (in the mode used last)."""
        self.state = ScanState.new(mode or self.state.mode, self.state.seconds)
        self._summary = self._latest = None
        self._finished_at = None
        self._summary_from_history = False
        self._pacer_index = -1
        self._switch(ITEM)
        self.render_item()

    def finish_scan(self) -> None:
        """Save the finished scan (the draft goes in the same write) and show the summary."""
        record = self.state.to_record(pendulum.now())
        self._finished_at = pendulum.now()
        store = self.tend.store
        if record.ratings and not store.read_only:
            with self.tend.saving("scans"):
                with store.transaction():
                    store.add(bs.model_from_record(record))
                    store.clear_draft(DRAFT_KEY)
        elif not store.read_only:
            with self.tend.saving("drafts"):
                store.clear_draft(DRAFT_KEY)
        self.show_summary(record)
        self._latest = self._summary

    def show_summary(self, record: ScanRecord, *, from_history: bool = False) -> None:
        """Summarise ``record`` against the scans before it, and show it."""
        earlier = bs.scans_for_summary(self.tend.store, record)
        now = pendulum.now() if not from_history else record.when()
        self._summary = bs.summarise(record, earlier, now=now, charset=spark_charset())
        self._summary_from_history = from_history
        self._switch(SUMMARY)
        self.render_summary()

    def show_history(self, *, fresh: bool = True) -> None:
        """The list of past scans: the newest first, older ones on request (``fresh``: start
        again from the newest; coming back from one of them keeps the list as it was)."""
        if fresh:
            self._history_all = False
        self._load_history()
        self._switch(HISTORY)
        self.render_history()
        self.query_one("#history-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#history-list")
    def _open_past(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "history-more":
            self._history_all = True
            self._load_history()
            self.render_history()
            return
        index = event.option_index
        if 0 <= index < len(self._history):
            self.show_summary(self._history[index].record, from_history=True)

    def _switch(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view
        self.view = view
        if view == SUMMARY:
            self.query_one(f"#{SUMMARY}").focus()
        elif view == ITEM:
            self.set_focus(None)
        self._run_timer()

    # -- guided pacing ---------------------------------------------------------------------

    def on_screen_suspend(self) -> None:
        """Something covers the scan (help, a dialog, another screen): the countdown waits."""
        if self.pacer.hold(self.clock()):
            self._auto_held = True
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._auto_held:
            self._auto_held = False
            self.pacer.resume(self.clock())
        if self.view == ITEM and not self.state.finished:
            self.render_pace()
        self._run_timer()

    def _run_timer(self) -> None:
        if self._timer is None:
            return
        if self.view == ITEM and self.state.mode == bs.GUIDED and not self.state.finished:
            self._timer.resume()
        else:
            self._timer.pause()

    def _sync_pacer(self) -> None:
        if self._pacer_index != self.state.index:
            self._pacer_index = self.state.index
            self.pacer.restart(self.clock(), float(self.state.seconds))

    def tick(self) -> None:
        """Move a guided scan on when the item's time is up; otherwise refresh the countdown."""
        if not self.is_current or self.view != ITEM or self.state.mode != bs.GUIDED or self.state.finished:
            return
        self._sync_pacer()
        if self.pacer.due(self.clock()):
            self._apply(self.state.next())
        elif self.pacer.countdown(self.clock()) != self._shown_countdown:
            self.render_pace()

    # -- drawing: item ---------------------------------------------------------------------

    def render_item(self) -> None:
        """Draw the current item (and start its countdown when guided)."""
        if self.state.finished:
            return
        self._sync_pacer()
        state, item = self.state, self.state.item
        mode = "guided" if state.mode == bs.GUIDED else "quick"
        self.query_one("#item-title", Static).update(Content.assemble(("Body scan", "bold"), f"  ·  {mode}"))
        self.query_one("#item-progress", Static).update(Content(state.progress()))
        self.query_one("#item-strip", Static).update(self._strip())
        group = {"body": "", "sleep": "", "signal": "Signal to reach out:  "}[item.group]
        self.query_one("#item-label", Static).update(Content.assemble(group, (item.label, "bold")))
        self.query_one("#item-cue", Static).update(Content(item.cue))
        self.query_one("#item-scale", Static).update(self._scale_line())
        self.query_one("#item-words", Static).update(self._words_block())
        note = state.note()
        if note:
            line = Content.assemble(("Note: ", "bold"), safe(note, multiline=False), ("   e to change", "dim"))
        else:
            line = Content.assemble(("e", "bold"), " add a note (optional)")
        self.query_one("#item-note", Static).update(line)
        self.render_pace()
        self._run_timer()
        self.refresh_bindings()

    def _strip(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        last_group = None
        for i, item in enumerate(bs.ITEMS):
            if item.group != last_group:
                name = {"body": "body", "sleep": "sleep", "signal": "signals"}[item.group]
                parts.append(("" if last_group is None else "   ") + name + " ")
                last_group = item.group
            value = self.state.rating(item.key)
            level = item.scale.level(value)
            cell = level.symbol if level else "_"
            if i == self.state.index:
                parts.append((f"[{cell}]", "bold reverse"))
            else:
                parts.append(f" {cell} ")
        return Content.assemble(*parts)

    def _scale_line(self) -> Content:
        chosen = self.state.rating()
        parts: list[Content | str | tuple[str, str]] = []
        for level in self.state.item.scale.levels:
            text = f"{level.value} {level.word}"
            if level.value == chosen:
                parts.append((f"[{text}]", "bold reverse"))
            else:
                parts.append(f" {text} ")
            parts.append("  ")
        return Content.assemble(*parts)

    def _words_block(self) -> Content:
        on = set(self.state.words())
        parts: list[Content | str | tuple[str, str]] = [("Words ", "bold"), ("(optional)\n", "dim")]
        per_line = 6
        for i, s in enumerate(bs.SENSATIONS):
            parts.append((s.letter, "bold $accent"))
            parts.append(" ")
            if s.word in on:
                parts.append((f"[{s.word}]", "bold reverse"))
            else:
                parts.append(f" {s.word} ")
            parts.append("\n" if (i + 1) % per_line == 0 and i + 1 < len(bs.SENSATIONS) else "  ")
        return Content.assemble(*parts)

    def render_pace(self) -> None:
        """The line under the item: the countdown in guided mode, the rule in quick mode."""
        pace = self.query_one("#item-pace", Static)
        if self.state.mode != bs.GUIDED:
            self._shown_countdown = None
            pace.update(Content("Quick: a number rates and moves on.  g for a guided pace."))
            return
        now = self.clock()
        left = self.pacer.countdown(now)
        self._shown_countdown = left
        if self.pacer.held:
            pace.update(Content.assemble(("|| held", "bold"), f"  at {left} s.  space to go on.  g for quick."))
        else:
            pace.update(Content.assemble((f"> next in {left} s", "bold"), "   space holds.  g for quick."))

    # -- drawing: summary ------------------------------------------------------------------

    def render_summary(self) -> None:
        """Draw the summary of the scan in :attr:`_summary`."""
        summary = self._summary
        if summary is None:
            return
        record = summary.record
        title = f"Your scan, {_when_text(record)}"
        if self._summary_from_history:
            title += "  (from history)"
        self.query_one("#summary-title", Static).update(Content.styled(title, "bold"))
        self.query_one("#summary-load", Static).update(self._load_line(summary))
        self.query_one("#summary-total", Static).update(self._total_line(summary))
        self.query_one("#summary-steps", Static).update(self._steps_block(summary))
        self.query_one("#summary-trends", Static).update(self._trend_table(summary))
        self.refresh_bindings()

    def _load_line(self, summary: bs.Summary) -> Content:
        if not summary.record.ratings:
            return Content("Nothing was rated this time, so nothing was saved. n starts again.")
        if not summary.load:
            return Content("Where it sits now: nothing stood out.")
        parts = [f"{item.short} ({item.scale.level(value).word})" for item, value in summary.load]  # type: ignore[union-attr]
        return Content.assemble(("Where it sits now: ", "bold"), ", ".join(parts))

    def _total_line(self, summary: bs.Summary) -> Content:
        total = summary.total
        parts: list[Content | str | tuple[str, str]] = [("Total ", "bold"), f"{total.total} of {total.out_of}"]
        if total.unrated:
            parts.append(f" ({len(total.unrated)} skipped)")
        if summary.total_change is not None and summary.previous is not None:
            before = bs.total(summary.previous).total
            change = summary.total_change
            parts.append(f"   {change.symbol} {change.word} than last time ({before})")
        elif summary.previous is None:
            parts.append("   your first scan")
        sleep = bs.SLEEP_SCALE.level(total.sleep)
        parts.append(f"   sleep: {sleep.word if sleep else 'not rated'}")
        return Content.assemble(*parts)

    def _steps_block(self, summary: bs.Summary) -> Content:
        lines: list[Content] = []
        colleague = self._most_due() if any(s.kind == bs.REACH_OUT for s in summary.suggestions) else None
        for n, suggestion in enumerate(summary.suggestions, start=1):
            if suggestion.kind == bs.REACH_OUT:
                name = colleague[0].name if colleague else None
                detail = safe(bs.reach_out_line(name), multiline=False)
            elif suggestion.because:
                shorts = ", ".join(bs.ITEM_BY_KEY[k].short for k in suggestion.because)
                detail = Content(f"for {shorts}")
            else:
                detail = Content("nothing stood out; an easy rhythm")
            lines.append(
                Content.assemble((f" {n} ", "bold reverse"), " ", (suggestion.title, "bold"), "  ", detail)
            )
        return Content("\n").join(lines)

    def _trend_table(self, summary: bs.Summary) -> Content:
        header = Content.styled(f"{'':10} {'now':3}  {'vs last':8}  {'14 days':14}  30 days (days with a scan)", "bold")
        lines = [header]
        for item in bs.ITEMS:
            value = summary.record.value(item.key)
            change = summary.changes.get(item.key)
            moved = f"{change.symbol} {change.word}" if change else ""
            trend = summary.trends[item.key]
            now_cell = bs.meter(value) if value is not None else " - "
            lines.append(
                Content(f"{item.short:10} {now_cell:3}  {moved:8}  {trend.lines[14]:14}  {trend.lines[30]}")
            )
        trend = summary.trends["total"]
        moved = f"{summary.total_change.symbol} {summary.total_change.word}" if summary.total_change else ""
        lines.append(
            Content.styled(
                f"{'total':10} {summary.total.total:>3}  {moved:8}  {trend.lines[14]:14}  {trend.lines[30]}", "bold"
            )
        )
        return Content("\n").join(lines)

    # -- drawing: history ------------------------------------------------------------------

    def render_history(self) -> None:
        """Fill the history list, newest first."""
        rows = self._history
        option_list = self.query_one("#history-list", OptionList)
        highlighted = option_list.highlighted
        options = []
        for row in rows:
            top = ", ".join(row.top) if row.top else "nothing stood out"
            day, _, clock = row.when.rpartition("  ")  # "ddd D MMM YYYY  HH:mm", local time
            stamp = f"{day:<15}  {clock}"
            options.append(
                Option(Content.assemble(f"{stamp}   ", (f"{row.total:>2} of {row.out_of:<2}", "bold"), f"   {top}"))
            )
        more = self._history_total - len(rows)
        if more > 0:
            options.append(Option(Content.styled(f"Older scans: {more:,} more. Enter shows them all.", "$text-muted"), id="history-more"))
        option_list.set_options(options)  # one update for the whole list, not one per scan
        if rows:
            option_list.highlighted = min(highlighted or 0, len(rows) - 1)
        empty = self.query_one("#history-empty", Static)
        empty.display = not rows
        empty.update(Content("No scans yet. n starts your first."))
