"""The Body scan screen: a one-minute check of where the work sits, and what to do next.

Three views in one screen (a ``ContentSwitcher``; why not pushed screens: docs/developing.md):

* **item**: one item at a time. Quick mode: a number rates and moves on, so a whole scan is a
  row of key presses. Guided mode: the screen moves on by itself after a few seconds, with a
  visible countdown; space holds. Letters toggle sensation words, ``e`` writes a note.
* **summary**: where the load sits, what changed since last time in words (only what was
  rated both times; nothing when too little was), next steps on ``1`` ``2`` ``3``, and
  sparklines over 14 days and 30 days, a quarter or a year (``v``), signals first.
* **history**: past scans, newest first; enter opens one, ``x`` deletes one, ``u`` brings it back
  (:mod:`screens.scan.history`). A fourth, the rest scan (``j``), is :mod:`screens.scan.rest`.

All the thinking is in :mod:`app.bodyscan`; this module only draws it and saves: the scan in
progress as a draft after every change (and on quit, SIGHUP and SIGTERM), offered again next time.
Guided time comes from :attr:`ScanScreen.clock` (``time.monotonic``); tests give the screen
a fake clock and call :meth:`ScanScreen.tick`, so nothing sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, OptionList, Static

from app import bodyscan as bs
from app.bodyscan import ScanRecord, ScanState
from app.models import BodyScan, Colleague
from app.modes import StartOptions
from screens.base import TendScreen, bound_key, key_hints
from screens.older import OlderRecords
from screens.scan import drawing, next_steps
from screens.scan.dialogs import ResumeDialog
from screens.scan.history import PastScans, next_span, summary_of
from screens.scan.keys import ShownKeys, scan_bindings
from screens.scan.rest import REST, RestWalkView
from screens.scan.widgets import HistoryList, NoteInput
from screens.shell import save_when_free

DRAFT_KEY = "scan"
TICK_SECONDS = 0.25
FRESH_AFTER_MINUTES = 20
"""Coming back to a summary older than this starts a new scan (the old one is in history)."""

ITEM, SUMMARY, HISTORY = "item", "summary", "history"


class ScanScreen(TendScreen):
    """The body scan: items, summary, history."""

    MODE = "scan"
    TITLE_TEXT = "Body scan"
    CSS_PATH = "scan.tcss"
    DEFAULT_CLASSES = "css-scan"
    HELP = (
        "A short pass through the body, last night's sleep and the signals that it may be time "
        "to reach out. Rate each with a number (0 none to 3 strong; sleep 1 poor to 3 good); in "
        "quick mode that moves on by itself. j starts a slower rest scan with nothing to rate. "
        "Letters mark words like tight or heavy (the letter "
        "is shown next to each word). Anything can be skipped, and a scan you leave is kept."
    )
    BINDINGS = scan_bindings()
    AUTO_FOCUS = ""
    """Nothing takes focus on its own: the keys belong to the scan until a note is open."""

    view: reactive[str] = reactive(ITEM, bindings=True)
    editing_note: reactive[bool] = reactive(False, bindings=True)
    """True while the note field is open (the scan's keys then type into it)."""

    clock: Callable[[], float] = staticmethod(time.monotonic)
    """The monotonic clock guided mode runs on; tests replace it."""

    def __init__(self, options: StartOptions | None = None) -> None:
        super().__init__()
        self.options = options or StartOptions()
        """What the command line asked for (``tend scan --guided --seconds 6``)."""
        self.state = ScanState.new()
        self.pacer = bs.Pacer(float(self.state.seconds), 0.0)
        self._pacer_index = -1
        self._shown_countdown: int | None = None
        self._timer: Timer | None = None
        self.keys_shown = ShownKeys(self)
        self.history = PastScans(self)
        """Past scans, deleting and bringing back (:mod:`screens.scan.history`)."""
        self._summary: bs.Summary | None = None
        """The summary on show (the scan just finished, or one opened from history)."""
        self._latest: bs.Summary | None = None
        """The summary of the scan finished on this visit, if any."""
        self._summary_from_history = False
        self._finished_at: pendulum.DateTime | None = None
        self._offered_draft = False
        self._auto_held = False
        """True while the countdown is held because something covers the screen."""
        self._start_seconds: int | None = None
        self._guided_from_cli = False
        self._asked_scan: int | None = None
        """A stored scan to open once this screen is shown (:meth:`show_stored`)."""
        self.rest = RestWalkView(self, lambda: self.clock(), self._rest_ended)
        """The rest scan (:mod:`screens.scan.rest`)."""

    trend_days: reactive[int] = reactive(30, bindings=True)
    """The longer trend column's window (a key of :data:`app.bodyscan.LONG_SPANS`); ``v`` steps."""

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
                yield NoteInput(lambda text: self.state.note_differs(text), placeholder="A few words, just for you",
                                id="item-note-input", max_length=bs.NOTE_LIMIT)
                yield Static("", id="item-pace", markup=False)
            with VerticalScroll(id=SUMMARY, can_focus=True):
                yield Static("", id="summary-title", markup=False)
                yield Static("", id="summary-load", markup=False)
                yield Static("", id="summary-total", markup=False)
                yield Static(Content("Next steps"), classes="section-title")
                yield Static("", id="summary-steps", markup=False)
                yield OlderRecords(BodyScan, "Reading older scans for the longer trends...", id="summary-older")
                yield Static("", id="summary-trends", markup=False)
            with Vertical(id=REST):
                yield Static("", id="rest-title", markup=False)
                yield Static("", id="rest-label", markup=False)
                yield Static("", id="rest-cue", markup=False)
                yield Static("", id="rest-pace", markup=False)
            with Vertical(id=HISTORY):
                yield Static(Content("Past scans"), classes="section-title", id="history-title")
                yield Static("", id="history-empty", classes="empty", markup=False)
                history = HistoryList(id="history-list")
                yield history
                yield OlderRecords(BodyScan, "Reading older scans...", id="history-older")
                yield Static(
                    Content.assemble(key_hints(history, "select"), "   ", key_hints(self, "new", "leave")),
                    id="history-hint",
                    classes="muted",
                )

    def on_mount(self) -> None:
        options = self.options
        mode = bs.GUIDED if options.guided else bs.QUICK
        self._start_seconds = options.seconds
        self.state = ScanState.new(mode, self._start_seconds or bs.DEFAULT_SECONDS)
        self._guided_from_cli = options.guided
        self._timer = self.set_interval(TICK_SECONDS, self.tick, pause=True)
        self.render_item()

    # -- data ------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Offer a waiting draft once; keep history and summary current."""
        if self._asked_scan is not None:
            self._take_asked_scan()
            return
        if not self._offered_draft:
            self._offered_draft = True
            self._offer_draft()
        stale = pendulum.now() - pendulum.duration(minutes=FRESH_AFTER_MINUTES)
        if self.view != ITEM and self._finished_at is not None and self._finished_at < stale:
            self.start_new()
            return
        if self.view == HISTORY:
            self.history.load()
            self.history.render()

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
        """Keep the scan in progress (the app calls this on quit, SIGHUP and SIGTERM); a rest
        scan under way is logged as far as it went."""
        if self.view == REST:
            self.rest.save_on_quit()
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
        if action == "scan" and self.view == REST:
            what = str(parameters[0]) if parameters else ""
            return not self.rest.done and what in (bs.HOLD, bs.NEXT, bs.FINISH)
        if action == "rest":
            if self.editing_note or self.view == REST:
                return False
            return self.view != ITEM or self.state.is_empty
        if action == "scan":
            if self.view != ITEM or self.editing_note or self.state.finished:
                return False
            what = str(parameters[0]) if parameters else ""  # a rate off the scale runs, to say so
            if what == bs.HOLD:
                return self.state.mode == bs.GUIDED
            return True
        if action == "step":
            count = len(self._summary.suggestions) if self._summary else 0
            return self.view == SUMMARY and bool(parameters) and int(str(parameters[0])) <= count
        if action == "new":
            return self.view in (SUMMARY, HISTORY) or (self.view == REST and self.rest.done)
        if action == "history":
            return self.view == SUMMARY
        if action in ("span", "support_line"):
            return self.view == SUMMARY
        if action == "delete_scan":
            return self.view == HISTORY and bool(self.history.rows)
        if action == "undo_delete":
            return self.view == HISTORY and self.history.deleted is not None
        return True

    def _apply(self, changed: bool) -> None:
        if not changed:
            return
        if self.state.finished:
            self.finish_scan()
            return
        self._save_draft_now()
        self.render_item()

    def action_scan(self, action: str, arg: str | None = None) -> None:
        """A key of :data:`app.bodyscan.KEYMAP`: the state applies it; the screen does the rest."""
        if self.view == REST:
            self.rest.key(action)
            return
        outcome = self.state.apply(action, arg)
        if action == bs.RATE and outcome is not bs.Outcome.CHANGED and (said := drawing.off_the_scale(self.state, arg)):
            self.notify(said, markup=False, timeout=4)  # 0 on sleep: why nothing happened
        if outcome is bs.Outcome.NOTE:
            self.open_note()
        elif outcome is bs.Outcome.HOLD:
            self.pacer.toggle(self.clock())
            self.render_pace()
        else:
            self._apply(outcome is bs.Outcome.CHANGED)

    def open_note(self) -> None:
        """Open the note field on the current item (the countdown waits meanwhile)."""
        note_input = self.query_one(NoteInput)
        note_input.value = self.state.note()
        note_input.display = True
        self.editing_note = True
        self.pacer.hold(self.clock())
        note_input.focus()
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
        self.editing_note = False
        self.pacer.resume(self.clock())
        self.set_focus(None)
        self.render_item()

    def action_leave(self) -> None:
        """Escape: back within the scan's views, else where the app's escape goes."""
        if self.view == REST:
            self.rest.stop()
            self.start_new()  # the next visit starts at the scan, not a finished rest
            self.tend.action_back()
            return
        if self.view == SUMMARY and self._summary_from_history:
            self.show_history(fresh=False)
        elif self.view == HISTORY and self._latest is not None:
            self._summary, self._summary_from_history = self._latest, False
            self._switch(SUMMARY)
            self._summarise_again()  # its longer trends may have been left half-read
            self.render_summary()
        else:
            self.tend.action_back()

    def action_new(self) -> None:
        self.start_new()

    def action_history(self) -> None:
        self.show_history()

    # -- the rest scan (screens/scan/rest.py) ---------------------------------------------

    def action_rest(self) -> None:
        """Start a rest scan: each body region in turn, a gentle countdown, nothing to rate."""
        self._finished_at = None  # a summary left behind never cuts a rest short
        self.rest.start()
        self._switch(REST)
        self.rest.render()

    def _rest_ended(self) -> None:
        self._run_timer()
        self.refresh_bindings()

    # -- past scans (screens/scan/history.py) ----------------------------------------------

    def action_span(self) -> None:
        """The longer trend column: 30 days, a quarter, a year, and round again."""
        self.trend_days = next_span(self.trend_days)
        self.render_summary()

    def action_delete_scan(self) -> None:
        """Delete the highlighted past scan; ``u`` brings it back."""
        row = self.history.delete()
        if row is not None and self._latest is not None and self._latest.record.taken_at == row.record.taken_at:
            self._latest = None  # escape no longer goes back to a summary of a deleted scan

    def action_undo_delete(self) -> None:
        """Put back the scan deleted last, under its old id."""
        self.history.undo_delete()

    # -- next steps (screens/scan/next_steps.py) ------------------------------------------

    def action_step(self, number: int) -> None:
        if self._summary is None or not 1 <= number <= len(self._summary.suggestions):
            return
        suggestion = self._summary.suggestions[number - 1]
        if suggestion.kind == bs.REACH_OUT:
            self.reach_out()
        elif suggestion.pattern:
            self.start_breathing(suggestion.pattern)

    def action_support_line(self) -> None:
        """Type (or clear) a support line of your own, shown when every signal is high."""
        next_steps.ask_support_line(self.tend, self.render_summary)

    def reach_out(self) -> None:
        """Open the trusted colleague with a message ready, or the colleagues screen."""
        next_steps.reach_out(self.tend)

    def start_breathing(self, pattern: str) -> None:
        """Go to the breathing screen and start ``pattern`` (the app's hand-over, as Today's)."""
        self.tend.open_breathing(pattern)

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
            scan, draft = bs.model_from_record(record), store.draft(DRAFT_KEY)

            def save() -> None:
                store.add(scan)
                if store.draft(DRAFT_KEY) == draft:  # not a scan begun since (a save that waited)
                    store.clear_draft(DRAFT_KEY)

            save_when_free(self.tend, "scans", save)
        elif not store.read_only:
            with self.tend.saving("drafts"):
                store.clear_draft(DRAFT_KEY)
        self.show_summary(record)
        self._latest = self._summary

    @property
    def summary(self) -> bs.Summary | None:
        """The summary on show (or last shown); None before there is one."""
        return self._summary

    def show_summary(self, record: ScanRecord, *, from_history: bool = False) -> None:
        """Summarise ``record`` against the scans before it, and show it."""
        self._summary_from_history = from_history
        self._summary = summary_of(self, record, from_history=from_history)
        self._switch(SUMMARY)
        self.render_summary()

    def _summarise_again(self) -> None:
        """With scans in history: the summary on show from every scan (read in a worker)."""
        if self._summary is not None and self.tend.store.has_history(BodyScan):
            self._summary = summary_of(self, self._summary.record, from_history=self._summary_from_history)
            self.render_summary()

    @on(OlderRecords.Loaded, "#summary-older")
    def _older_for_summary(self, event: OlderRecords.Loaded) -> None:
        whole: bs.Summary = event.result
        if self._summary is not None and self.view == SUMMARY and whole.record.taken_at == self._summary.record.taken_at:
            self._summary = whole
            self.render_summary()

    @on(OlderRecords.Loaded, "#history-older")
    def _older_scans(self, event: OlderRecords.Loaded) -> None:
        self.history.fill(*event.result)

    def show_history(self, *, fresh: bool = True) -> None:
        """The list of past scans: the newest first, older ones on request (``fresh``: start
        again from the newest; coming back from one of them keeps the list as it was)."""
        if fresh:
            self.history.show_all = False
        self.history.load()
        self._switch(HISTORY)
        self.history.render()
        self.query_one("#history-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#history-list")
    def _open_past(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        record = self.history.picked(event)
        if record is not None:
            self.show_summary(record, from_history=True)

    def _switch(self, view: str) -> None:
        for reader in self.query(OlderRecords):  # leaving a view drops its reading
            if reader.id != f"{view}-older":
                reader.stop()
        self.query_one(ContentSwitcher).current = view
        self.view = view
        if view == SUMMARY:
            self.query_one(f"#{SUMMARY}").focus()
        elif view == ITEM:
            self.set_focus(None)
        self._run_timer()

    # -- guided pacing ---------------------------------------------------------------------

    def on_screen_suspend(self) -> None:
        """Something covers the scan (help, a dialog, another screen): the countdown waits,
        and older scans are not read meanwhile (read again when shown)."""
        for reader in self.query(OlderRecords):
            reader.stop()
        if self.view == REST:
            if self.rest.pacer.hold(self.clock()):
                self._auto_held = True
        elif self.pacer.hold(self.clock()):
            self._auto_held = True
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self) -> None:
        # TendScreen's own handler (refresh_data) runs too: Textual calls each class's handler.
        if self._auto_held:
            self._auto_held = False
            (self.rest.pacer if self.view == REST else self.pacer).resume(self.clock())
        if self.view == REST and not self.rest.done:
            self.rest.render()
        if self.view == ITEM and not self.state.finished:
            self.render_pace()
        if self.view == SUMMARY:
            self._summarise_again()
        self._run_timer()

    def _run_timer(self) -> None:
        if self._timer is None:
            return
        guided = self.view == ITEM and self.state.mode == bs.GUIDED and not self.state.finished
        resting = self.view == REST and not self.rest.done
        if guided or resting:
            self._timer.resume()
        else:
            self._timer.pause()

    def _sync_pacer(self) -> None:
        if self._pacer_index != self.state.index:
            self._pacer_index = self.state.index
            self.pacer.restart(self.clock(), float(self.state.seconds))

    def tick(self) -> None:
        """Move a guided scan on when the item's time is up; otherwise refresh the countdown."""
        if self.is_current and self.view == REST:
            self.rest.tick()
            return
        if not self.is_current or self.view != ITEM or self.state.mode != bs.GUIDED or self.state.finished:
            return
        self._sync_pacer()
        if self.pacer.due(self.clock()):
            self._apply(self.state.next())
        elif self.pacer.countdown(self.clock()) != self._shown_countdown:
            self.render_pace()

    # -- drawing ---------------------------------------------------------------------------

    def render_item(self) -> None:
        """Draw the current item (and start its countdown when guided)."""
        if self.state.finished:
            return
        self._sync_pacer()
        state, item = self.state, self.state.item
        mode = "guided" if state.mode == bs.GUIDED else "quick"
        self.query_one("#item-title", Static).update(Content.assemble(("Body scan", "bold"), f"  ·  {mode}"))
        self.query_one("#item-progress", Static).update(Content(state.progress()))
        self.query_one("#item-strip", Static).update(drawing.strip(state))
        self.query_one("#item-label", Static).update(Content.styled(item.label, "bold"))
        self.query_one("#item-cue", Static).update(Content(item.cue))
        self.query_one("#item-scale", Static).update(drawing.scale_line(state))
        self.query_one("#item-words", Static).update(drawing.words_block(state, self.keys_shown.words()))
        self.query_one("#item-note", Static).update(drawing.note_line(state, self.keys_shown(bs.NOTE)))
        self.render_pace()
        self._run_timer()
        self.refresh_bindings()  # the state is a plain object: which keys apply follows it

    def render_pace(self) -> None:
        """The line under the item: the countdown in guided mode, the rule in quick mode."""
        now = self.clock()
        self._shown_countdown = self.pacer.countdown(now) if self.state.mode == bs.GUIDED else None
        line = drawing.pace_line(self.state, self.pacer, now, self.keys_shown(bs.HOLD), self.keys_shown(bs.PACE))
        self.query_one("#item-pace", Static).update(line)

    def render_summary(self) -> None:
        """Draw the summary of the scan in :attr:`_summary`."""
        summary = self._summary
        if summary is None:
            return
        title = f"Your scan, {drawing.when_text(summary.record)}"
        if self._summary_from_history:
            title += "  (from history)"
        reach_out = any(s.kind == bs.REACH_OUT for s in summary.suggestions)
        colleague = next_steps.trusted_colleague(self.tend) if reach_out else None
        anyone = reach_out and colleague is None and bool(self.tend.store.all(Colleague))
        self.query_one("#summary-title", Static).update(Content.styled(title, "bold"))
        self.query_one("#summary-load", Static).update(drawing.load_line(summary, past=self._summary_from_history))
        self.query_one("#summary-total", Static).update(drawing.change_line(summary))
        room = self.query_one("#summary-steps", Static).content_region.width or self.size.width - 4
        steps = drawing.steps_block(summary, colleague[0].name if colleague else None, anyone=anyone, width=room)
        if bs.all_signals_high(summary.record):
            own = drawing.support_line(self.tend.store.settings().support_line, bound_key(self, "support_line"))
            steps = Content.assemble(steps, "\n", own)
        self.query_one("#summary-steps", Static).update(steps)
        self.query_one("#summary-trends", Static).update(drawing.trend_table(summary, self.trend_days))
        self.refresh_bindings()

    # -- opened from elsewhere ---------------------------------------------------------------

    def show_stored(self, scan_id: int) -> None:
        """Open the summary of the stored scan ``scan_id``, as from history (enter on Today's
        "Last body scan"): now if this screen is up, else as soon as it is shown."""
        self._asked_scan = scan_id
        if self.is_mounted and self.app.screen is self:
            self._take_asked_scan()

    def _take_asked_scan(self) -> None:
        from app.models import BodyScan

        scan_id, self._asked_scan = self._asked_scan, None
        stored = self.tend.store.get(BodyScan, scan_id) if scan_id is not None else None
        if stored is None:
            self.notify("That scan is no longer here.", markup=False)
            return
        self.show_summary(bs.record_from_model(stored), from_history=True)
