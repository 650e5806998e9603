"""The colleagues list's table."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding
from textual.widgets import DataTable


class ColleagueTable(DataTable[Any]):
    """The list of colleagues; enter opens the highlighted one's card."""

    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", "Card", id="colleagues.card", key_display="enter",
                tooltip="Open their card: details and contact history"),
    ]  # fmt: skip

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return self.row_count > 0 and self.display
        return super().check_action(action, parameters)


