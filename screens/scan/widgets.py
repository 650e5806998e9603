"""The scan's note field."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input, OptionList


class NoteInput(Input):
    """The one-line note. Enter keeps it, escape leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="scan.note.cancel", tooltip="Close the note without changing it"),
    ]

    class Cancelled(Message):
        """The person closed the note without keeping it."""

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())



class HistoryList(OptionList):
    """Past scans: enter opens the highlighted one (so its hint can say "Open")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="scan.history.open", tooltip="Open this scan", show=False),
    ]
