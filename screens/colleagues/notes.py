"""Choosing which of a colleague's dated notes to delete, from their card."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from app.textclean import clean_text
from screens.base import TendModal, key_hints, safe
from screens.colleagues.rows import CSS_FILE

Note = tuple[dt.date, str]
"""A dated note as :func:`app.people.dated_notes` gives it: (day, text)."""


def note_words(note: Note) -> Content:
    """A note as one line: "20 Nov 2026  back from leave on the 12th"."""
    day, text = note
    return Content.assemble((f"{day:%-d %b %Y}  ", "dim"), safe(text, multiline=False))


class NotePicker(TendModal[Note | None]):
    """Which dated note to delete, newest first: enter deletes the highlighted one (``u`` on
    the card brings it back), escape keeps them all. Choosing is the asking."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("enter", "choose", "Delete", id="notes.delete",
                tooltip="Delete the highlighted note (u on the card brings it back)"),
        Binding("escape", "close", "Keep them all", id="notes.keep", tooltip="Delete nothing"),
    ]  # fmt: skip

    def __init__(self, name: str, notes: list[Note]) -> None:
        super().__init__()
        self.person = name
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="people-dialog", id="notes"):
            yield Label(
                Content.assemble("Delete which note for ", (clean_text(self.person), "bold"), "?"),
                classes="people-dialog-title",
            )
            yield OptionList(*(Option(note_words(note)) for note in self.notes), id="notes-list", compact=True)
            yield Static(key_hints(self, "choose", "close"), classes="people-hint")

    def on_mount(self) -> None:
        options = self.query_one("#notes-list", OptionList)
        options.highlighted = 0 if self.notes else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        index = self.query_one("#notes-list", OptionList).highlighted
        if index is not None and index < len(self.notes):
            self.dismiss(self.notes[index])

    def action_close(self) -> None:
        self.dismiss(None)
