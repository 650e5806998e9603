"""Dates to remember on Today: a colleague's birthday or team anniversary, a few days ahead.

A widget of its own, so Today only places it and hands it the colleagues it already read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.widgets import Static

from app.models import Colleague
from app.people import dates_coming
from screens.base import safe


class DatesToRemember(Static):
    """One quiet line, "Coming up: Amara's birthday in 3 days (Sat 28 Nov)", hidden when
    nothing is coming. Redrawn only when what it says changes (an idle Today sends nothing)."""

    DEFAULT_CSS = """
    DatesToRemember { height: auto; margin: 1 0 0 2; color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self._said: str | None = None
        self.display = False

    def show(self, colleagues: Iterable[Colleague], today: dt.date) -> None:
        """Show what is coming up for these colleagues from ``today``."""
        coming = dates_coming(colleagues, today)
        parts: list[Content] = []
        for reminder in coming[:3]:
            parts.append(Content.assemble(safe(reminder.colleague.name, multiline=False), f": {reminder.words}"))
        if len(coming) > 3:
            parts.append(Content(f"and {len(coming) - 3} more"))
        text = Content.assemble(("Coming up: ", "bold"), Content("  ·  ").join(parts)) if parts else Content("")
        if text.plain != self._said:
            self._said = text.plain
            self.update(text)
            self.display = bool(parts)
