"""A ritual's detail: its heatmap and history."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar, Protocol

import pendulum
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.worker import Worker

from app.history import WINDOW_DAYS
from app.models import Ritual, RitualEntry
from app.progress import (
    LEGEND_ORDER,
    MOST_WEEKS,
    SYMBOLS,
    Cell,
    explain_score,
    heatmap,
    max_weeks,
    score_shown,
    score_wait_words,
)
from app.rituals import (
    MARK_DAYS_BACK,
    RitualView,
    build_view,
    day_words,
    effective_states,
    pause_spans,
    paused_days,
    paused_on,
    when_words,
)
from app.schedule import (
    describe,
)
from screens.base import DismissOnTop, safe, spoken_key
from screens.dialogs import tend_of
from screens.rituals import older
from screens.rituals.older import DETAIL_WORKER, NOT_YET, FullRead, read_detail
from screens.rituals.rows import CELL_STYLES, waiting_mark


class DetailOwner(Protocol):
    """What a ritual's detail asks of the screen that opened it (the rituals screen)."""

    show_streak: bool

    def view(self, ritual_id: int) -> RitualView | None: ...
    def colleague_names(self, ids: list[int]) -> list[str]: ...
    def mark(self, ritual_id: int, day: pendulum.Date, state: str, note: str = "") -> bool: ...
    def ask_other_day(self, ritual_id: int) -> None: ...
    def ask_skip(self, ritual_id: int, day: pendulum.Date | None = None) -> None: ...
    def mark_checked(self, ritual_id: int, day: pendulum.Date, state: str, note: str = "") -> None: ...
    def clear_day(self, ritual_id: int, day: pendulum.Date) -> None: ...
    def ask_pause(self, ritual_id: int) -> None: ...
    def ask_note(self, ritual_id: int) -> None: ...
    def action_undo(self) -> None: ...
    def edit(self, ritual_id: int) -> None: ...


HEATMAP_MOST_WEEKS = MOST_WEEKS
"""A year at a glance where the terminal is wide enough (120 columns); fewer weeks where not."""


class RitualDetail(DismissOnTop, Screen[None]):
    """One ritual: its schedule, score, streak, a heatmap and its history."""

    CSS_PATH = "rituals.tcss"
    DEFAULT_CLASSES = "css-rituals"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "done", "Done", id="ritual.detail.done", tooltip="Mark the chosen day done (today, unless you moved)"),
        Binding("d", "other_day", "Another day", id="ritual.detail.other", tooltip="Mark it done on another day"),
        Binding("k", "skip", "Skip", id="ritual.detail.skip", tooltip="Skip the chosen day, with a reason if you like"),
        Binding("backspace", "clear", "Clear", id="ritual.detail.clear", tooltip="Set the chosen day back to nothing logged", show=False),
        Binding("left", "move(-7)", "Week back", id="ritual.detail.week_back", tooltip="Choose the same day a week earlier", show=False),
        Binding("right", "move(7)", "Week on", id="ritual.detail.week_on", tooltip="Choose the same day a week later", show=False),
        Binding("up", "move(-1)", "Day back", id="ritual.detail.day_back", tooltip="Choose the day before", show=False),
        Binding("down", "move(1)", "Day on", id="ritual.detail.day_on", tooltip="Choose the day after", show=False),
        Binding("home", "to_today", "Today", id="ritual.detail.today", tooltip="Choose today again", show=False),
        Binding("pageup", "page(-1)", "Page up", id="ritual.detail.page_up", tooltip="Scroll up a page", show=False),
        Binding("pagedown", "page(1)", "Page down", id="ritual.detail.page_down", tooltip="Scroll down a page (the history)",
                show=False),
        Binding("p", "pause", "Pause", id="ritual.detail.pause", tooltip="Pause it for a while (leave), or end its pause", show=False),
        Binding("n", "note", "Note", id="ritual.detail.note", tooltip="Add a note to today's entry", show=False),
        Binding("u", "undo", "Undo", id="ritual.detail.undo", tooltip="Undo the last change"),
        Binding("e", "edit", "Edit", id="ritual.detail.edit", tooltip="Change this ritual"),
        Binding("escape", "close", "Back", id="ritual.detail.back", tooltip="Back to the list"),
    ]

    def __init__(self, owner: DetailOwner, ritual_id: int) -> None:
        super().__init__()
        self.owner = owner
        self.ritual_id = ritual_id
        self.chosen = pendulum.today().date()
        """The day space, k and backspace act on: today until moved along the heatmap."""
        self._first_shown: pendulum.Date | None = None
        self.older = FullRead(self, DETAIL_WORKER)
        """Every entry, read by a worker when some are in history files (screens/rituals/older.py)."""
        self.known_from: pendulum.Date | None = None
        """While older entries are still being read: the first day whose entries are all here."""
        self._note_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail", can_focus=False):
            yield Static("", id="detail-title")
            yield Static("", id="detail-facts")
            yield Static("", id="detail-explain", classes="muted")
            yield Static("", id="detail-heatmap")
            note = Static("", id="detail-reading")
            note.display = False  # "Reading older entries...", while that takes a while
            yield note
            yield Static("", id="detail-chosen")
            yield Static("", id="detail-history")
        yield Footer()

    def on_mount(self) -> None:
        tend_of(self).data_changed.subscribe(self, lambda _: self.refresh_view())
        self.refresh_view()

    def on_resize(self) -> None:
        self.refresh_view()

    def load(self) -> RitualView | None:
        """The ritual as the store has it now. With older entries in history files: every
        entry once a worker has read them, until then the recent ones (and no score or streak)."""
        store = tend_of(self).store
        self.known_from = None
        if not store.has_history(RitualEntry):
            return self.owner.view(self.ritual_id)
        today = pendulum.today().date()
        key = (store.token(), today)
        full = self.older.get(key, partial(read_detail, store, self.ritual_id, today))
        if full is not NOT_YET:
            self._reading(False)
            view: RitualView | None = full.view
            return view
        self._reading(True)
        record = store.get(Ritual, self.ritual_id)
        if record is None:
            return None
        self.known_from = today.subtract(days=WINDOW_DAYS)  # from here on every entry is in tend.json
        return build_view(record, store.find(RitualEntry, ritual_id=self.ritual_id, recent=True), today, progress=False)

    def _reading(self, reading: bool) -> None:
        """The note under the heatmap: shown once reading has taken half a second, gone when done."""
        note = self.query_one("#detail-reading", Static)
        if not reading:
            if self._note_timer is not None:
                self._note_timer.stop()
                self._note_timer = None
            note.display = False
        elif not note.display and self._note_timer is None:
            self._note_timer = self.set_timer(older.NOTE_AFTER, self._note_due)

    def _note_due(self) -> None:
        self._note_timer = None
        if self.older.reading:
            note = self.query_one("#detail-reading", Static)
            note.update(Content.styled(f"Reading older entries{waiting_mark()}", "$text-muted"))
            note.display = True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        store = tend_of(self).store
        if self.older.finished(event, (store.token(), pendulum.today().date())):
            self.refresh_view()
        elif not self.older.reading:
            self._reading(False)

    def refresh_view(self) -> None:
        view = self.load()
        if view is None:
            self.query_one("#detail-title", Static).update(Content("This ritual is no longer here."))
            return
        today = pendulum.today().date()
        show_streak = self.owner.show_streak
        title = Content.assemble(safe(view.record.name, multiline=False).stylize("bold"), "  ",
                                 (when_words(view, today), "$text-muted"))
        facts: list[Any] = [
            "When: ", describe(view.schedule, with_dates=True) if view.schedule else "(schedule unclear)", "\n",
        ]
        names = self.owner.colleague_names(view.record.colleague_ids)
        if names:
            facts += ["With: ", safe(", ".join(names), multiline=False), "\n"]
        waiting = self.known_from is not None
        if waiting:
            facts += [("Score ", "bold"), (waiting_mark(), "$text-muted")]
        elif score_shown(view.asked):
            facts += [("Score ", "bold"), f"{view.score}%"]
        else:
            facts += [("Score ", "bold"), (score_wait_words(view.asked), "$text-muted")]
        if show_streak:
            facts += ["   ", ("Streak ", "bold"), (waiting_mark(), "$text-muted") if waiting else f"{view.streak} in a row"]
        if view.paused_until is not None:
            until = view.paused_until.format("ddd D MMM YYYY")
            facts += ["\n", ("Paused ", "bold"), f"until {until}: nothing is due or counted. p ends it."]
        pauses = [(a, b) for a, b in pause_spans(view.record) if b >= today.subtract(days=MARK_DAYS_BACK)]
        others = [f"{a.format('D MMM')} to {b.format('D MMM YYYY')}" for a, b in pauses if not a <= today <= b]
        if others:
            facts += ["\n", ("Paused ", "bold"), ", ".join(others[-3:]), (" (= on the map)", "$text-muted")]
        if view.record.archived:
            facts += ["\n", ("Archived", "bold"), ": not in the lists; its history is kept (z on the list restores it)."]
        if view.record.note:
            facts += ["\n", safe(view.record.note).stylize("italic")]
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#detail-facts", Static).update(Content.assemble(*facts))
        if view.schedule is None:
            self.query_one("#detail-explain", Static).update(Content(
                f"Tend cannot read this schedule as it is stored ({view.reading}) so it shows nothing as due. "
                "Its history is all here; e opens it to say how often it comes round."))
            self.query_one("#detail-heatmap", Static).update(Content(""))
            self.query_one("#detail-chosen", Static).update(Content(""))
            self.query_one("#detail-history", Static).update(history_content(view, since=self.known_from))
            return
        explain = explain_score(view.schedule)
        if view.reading:
            explain = f"Stored without a start date: {view.reading}. e sets one. " + explain
        self.query_one("#detail-explain", Static).update(Content(explain))
        # Room for the chosen day's brackets and a scrollbar: 36 weeks at 80 columns, a year at 120.
        # (A view read from the recent years only has every entry of these weeks: app.carried_years.)
        weeks = max(12, min(max_weeks(max(self.size.width, 80) - 4), HEATMAP_MOST_WEEKS))
        counted = effective_states(view.schedule, view.record, view.states, today)
        first = today.subtract(days=today.weekday() + 7 * (weeks - 1))
        self._first_shown = first
        self.chosen = min(max(self.chosen, first), today)
        resting = paused_days(view.record, view.states, first, today.add(days=7 - today.weekday()))
        hm = heatmap(view.schedule, counted, today, weeks=weeks, since=view.since_created, paused=resting,
                     carried=view.heatmap_from)  # fmt: skip
        self.query_one("#detail-heatmap", Static).update(heatmap_content(hm, self.chosen, known_from=self.known_from))
        self.query_one("#detail-chosen", Static).update(self._chosen_line(view, today))
        self.query_one("#detail-history", Static).update(history_content(view, since=self.known_from or view.entries_from))

    def _chosen_line(self, view: RitualView, today: pendulum.Date) -> Content:
        entry = view.entries.get(self.chosen)
        state = entry.status if entry else ("paused" if paused_on(view.record, self.chosen) else "nothing logged")
        if entry is None and self.known_from is not None and self.chosen < self.known_from:
            state = "still being read"
        moves = [spoken_key(self, f"move({days})") for days in (-1, 1, -7, 7)]
        arrows = "arrows" if moves == ["up", "down", "left", "right"] else "/".join(moves)
        sets = ", ".join(spoken_key(self, action) for action in ("done", "skip", "clear"))
        keys = f"{arrows} choose a day; {sets} set it"
        said = f"{day_words(self.chosen, today)}, {state}."
        # The keys on a line of their own when the two do not fit side by side whatever the
        # day chosen (so the lines below stay put while the arrows move): a sentence broken
        # mid-list ("space, k," then "backspace set it") reads as two.
        room = self.query_one("#detail-chosen", Static).content_region.width or self.size.width - 2
        longest = max(len(said), len("Wed 30 Sep 2026, still being read."))
        joint = "  " if len("Chosen: ") + longest + 2 + len(keys) <= room else "\n"
        return Content.assemble(("Chosen: ", "bold"), said + joint, (keys, "$text-muted"))

    def action_move(self, days: int) -> None:
        """Move the chosen day along the heatmap (never past today or before what it shows)."""
        today = pendulum.today().date()
        target = self.chosen.add(days=days)
        if target > today:
            self.notify("That day has not come yet.", markup=False)
            return
        if self._first_shown is not None and target < self._first_shown:
            self.notify("That is before the map begins. d marks any day of the past year.", markup=False)
            return
        self.chosen = target
        self.refresh_view()

    def action_page(self, direction: int) -> None:
        """Scroll the detail a page (the arrows choose days, so paging is how to read on)."""
        scroller = self.query_one("#detail", VerticalScroll)
        if direction > 0:
            scroller.scroll_page_down()
        else:
            scroller.scroll_page_up()

    def action_to_today(self) -> None:
        self.chosen = pendulum.today().date()
        self.refresh_view()

    def action_clear(self) -> None:
        self.owner.clear_day(self.ritual_id, self.chosen)

    def action_pause(self) -> None:
        self.owner.ask_pause(self.ritual_id)

    def action_done(self) -> None:
        self.owner.mark_checked(self.ritual_id, self.chosen, "done")

    def action_other_day(self) -> None:
        self.owner.ask_other_day(self.ritual_id)

    def action_skip(self) -> None:
        self.owner.ask_skip(self.ritual_id, self.chosen)

    def action_note(self) -> None:
        self.owner.ask_note(self.ritual_id)

    def action_undo(self) -> None:
        self.owner.action_undo()

    def action_edit(self) -> None:
        self.owner.edit(self.ritual_id)

    def action_close(self) -> None:
        self.dismiss(None)


def heatmap_content(hm: Any, chosen: pendulum.Date | None = None, *, known_from: pendulum.Date | None = None) -> Content:
    """The heatmap with a symbol per day (and colour only as an extra); the chosen day is
    shown reversed between brackets, so it reads without colour too. ``known_from``: days
    before it are still being read, and left blank until they are."""
    lines = [Content.styled(hm.month_line(), "$text-muted")]
    for weekday, cells in enumerate(hm.rows):
        label = pendulum.Date(2024, 1, 1).add(days=weekday).format("ddd")
        parts: list[Any] = [(label, "$text-muted")]
        for column, cell in enumerate(cells):
            here = chosen is not None and hm.day(weekday, column) == chosen
            after = chosen is not None and column > 0 and hm.day(weekday, column - 1) == chosen
            if known_from is not None and hm.day(weekday, column) < known_from:
                cell = Cell.OUTSIDE
            parts += ["[" if here else ("]" if after else " "), (SYMBOLS[cell], "reverse" if here else CELL_STYLES[cell])]
        if chosen is not None and cells and hm.day(weekday, len(cells) - 1) == chosen:
            parts.append("]")
        lines.append(Content.assemble(*parts))
    legend: list[Any] = []
    for cell in LEGEND_ORDER:
        legend += [(SYMBOLS[cell], CELL_STYLES[cell]), f" {cell.value}  "]
    lines.append(Content.assemble(*legend))
    return Content("\n").join(lines)


def history_content(view: RitualView, limit: int = 8, *, since: pendulum.Date | None = None) -> Content:
    """The latest entries, newest first (``since``: only those from that day on, while older
    ones are still being read)."""
    entries = sorted((e for e in view.entries.values() if since is None or e.day >= since), key=lambda e: e.day, reverse=True)[:limit]
    if not entries and since is not None:  # (true whether or not anything was logged before)
        return Content.styled(f"Nothing logged since {since.format('D MMM YYYY')}. Space marks it done today.", "$text-muted")
    if not entries:
        return Content.styled("Nothing logged yet. Space marks it done today.", "$text-muted")
    lines = [Content.styled("Recently", "bold")]
    for entry in entries:
        word = "done" if entry.status == "done" else "skipped"
        parts: list[Any] = [entry.day.format("ddd D MMM YYYY"), "  ",
                            (word.ljust(8), CELL_STYLES[Cell.DONE if word == "done" else Cell.SKIPPED])]
        if entry.note:
            parts.append(safe(entry.note, multiline=False))
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


