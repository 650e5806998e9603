"""The scan's note field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input, OptionList

from screens.dialogs import CloseUnsavedDialog


class NoteInput(Input):
    """The one-line note. Enter keeps it; escape leaves it as it was, asking first when what
    was typed would be let go (``differs`` says whether keeping a text would change the note)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="scan.note.cancel", tooltip="Close the note without keeping what was typed"),
    ]

    class Cancelled(Message):
        """The person closed the note without keeping it."""

    def __init__(self, differs: Callable[[str], bool], **options: Any) -> None:
        super().__init__(**options)
        self.differs = differs

    def action_cancel(self) -> None:
        if not self.differs(self.value):
            self.post_message(self.Cancelled())
            return

        def answered(close: bool | None) -> None:
            if close:
                self.post_message(self.Cancelled())

        self.app.push_screen(CloseUnsavedDialog(), answered)


class HistoryList(OptionList):
    """Past scans: enter opens the highlighted one (so its hint can say "Open")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="scan.history.open", tooltip="Open this scan", show=False),
    ]
