"""A ritual's detail: its heatmap and history."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

import pendulum
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from app.progress import SYMBOLS, Cell, explain_score, heatmap, max_weeks
from app.rituals import RitualView, when_words
from app.schedule import (
    describe,
)
from screens.base import DismissOnTop, safe
from screens.dialogs import tend_of
from screens.rituals.rows import CELL_STYLES



class DetailOwner(Protocol):
    """What a ritual's detail asks of the screen that opened it (the rituals screen)."""

    show_streak: bool

    def view(self, ritual_id: int) -> RitualView | None: ...
    def colleague_names(self, ids: list[int]) -> list[str]: ...
    def mark(self, ritual_id: int, day: pendulum.Date, state: str, note: str = "") -> bool: ...
    def ask_other_day(self, ritual_id: int) -> None: ...
    def ask_skip(self, ritual_id: int) -> None: ...
    def ask_note(self, ritual_id: int) -> None: ...
    def action_undo(self) -> None: ...
    def edit(self, ritual_id: int) -> None: ...


class RitualDetail(DismissOnTop, Screen[None]):
    """One ritual: its schedule, score, streak, a heatmap and its history."""

    CSS_PATH = "rituals.tcss"
    DEFAULT_CLASSES = "css-rituals"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "done", "Done", id="ritual.detail.done", tooltip="Mark it done today"),
        Binding("d", "other_day", "Another day", id="ritual.detail.other", tooltip="Mark it done on another day"),
        Binding("k", "skip", "Skip", id="ritual.detail.skip", tooltip="Skip it today, with a reason if you like"),
        Binding("n", "note", "Note", id="ritual.detail.note", tooltip="Add a note to today's entry", show=False),
        Binding("u", "undo", "Undo", id="ritual.detail.undo", tooltip="Undo the last change"),
        Binding("e", "edit", "Edit", id="ritual.detail.edit", tooltip="Change this ritual"),
        Binding("escape", "close", "Back", id="ritual.detail.back", tooltip="Back to the list"),
    ]

    def __init__(self, owner: DetailOwner, ritual_id: int) -> None:
        super().__init__()
        self.owner = owner
        self.ritual_id = ritual_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-title")
            yield Static("", id="detail-facts")
            yield Static("", id="detail-explain", classes="muted")
            yield Static("", id="detail-heatmap")
            yield Static("", id="detail-history")
        yield Footer()

    def on_mount(self) -> None:
        tend_of(self).data_changed.subscribe(self, lambda _: self.refresh_view())
        self.refresh_view()

    def on_resize(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        view = self.owner.view(self.ritual_id)
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
        facts += [("Score ", "bold"), f"{view.score}%"]
        if show_streak:
            facts += ["   ", ("Streak ", "bold"), f"{view.streak} in a row"]
        if view.record.note:
            facts += ["\n", safe(view.record.note).stylize("italic")]
        self.query_one("#detail-title", Static).update(title)
        self.query_one("#detail-facts", Static).update(Content.assemble(*facts))
        if view.schedule is None:
            return
        self.query_one("#detail-explain", Static).update(Content(explain_score(view.schedule)))
        weeks = max(12, min(max_weeks(max(self.size.width, 80) - 2), 36))
        hm = heatmap(view.schedule, view.states, today, weeks=weeks, since=view.since_created)
        self.query_one("#detail-heatmap", Static).update(heatmap_content(hm))
        self.query_one("#detail-history", Static).update(history_content(view))

    def action_done(self) -> None:
        self.owner.mark(self.ritual_id, pendulum.today().date(), "done")

    def action_other_day(self) -> None:
        self.owner.ask_other_day(self.ritual_id)

    def action_skip(self) -> None:
        self.owner.ask_skip(self.ritual_id)

    def action_note(self) -> None:
        self.owner.ask_note(self.ritual_id)

    def action_undo(self) -> None:
        self.owner.action_undo()

    def action_edit(self) -> None:
        self.owner.edit(self.ritual_id)

    def action_close(self) -> None:
        self.dismiss(None)


def heatmap_content(hm: Any) -> Content:
    """The heatmap with a symbol per day (and colour only as an extra)."""
    lines = [Content.styled(hm.month_line(), "$text-muted")]
    for weekday, cells in enumerate(hm.rows):
        label = pendulum.Date(2024, 1, 1).add(days=weekday).format("ddd")
        parts: list[Any] = [(label, "$text-muted")]
        for cell in cells:
            parts += [" ", (SYMBOLS[cell], CELL_STYLES[cell])]
        lines.append(Content.assemble(*parts))
    legend: list[Any] = []
    for cell in (Cell.DONE, Cell.SKIPPED, Cell.MISSED, Cell.DUE, Cell.NOT_DUE, Cell.FUTURE):
        legend += [(SYMBOLS[cell], CELL_STYLES[cell]), f" {cell.value}  "]
    lines.append(Content.assemble(*legend))
    return Content("\n").join(lines)


def history_content(view: RitualView, limit: int = 8) -> Content:
    """The latest entries, newest first."""
    entries = sorted(view.entries.values(), key=lambda e: e.day, reverse=True)[:limit]
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


