"""The colleagues list's table."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding
from textual.widgets import DataTable


class ColleagueTable(DataTable[Any]):
    """The list of colleagues; enter opens the highlighted one's card; home, end, page up
    and page down move the cursor (a DataTable's own home and end scroll sideways)."""

    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", "Card", id="colleagues.card", key_display="enter",
                tooltip="Open their card: details and contact history"),
        Binding("home", "scroll_top", "First", id="colleagues.first", show=False,
                tooltip="Go to the first person in the list"),
        Binding("end", "scroll_bottom", "Last", id="colleagues.last", show=False,
                tooltip="Go to the last person in the list"),
        Binding("pageup", "page_up", "Page up", id="colleagues.page_up", show=False,
                tooltip="Move up a page of people"),
        Binding("pagedown", "page_down", "Page down", id="colleagues.page_down", show=False,
                tooltip="Move down a page of people"),
    ]  # fmt: skip

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return self.row_count > 0 and self.display
        return super().check_action(action, parameters)


