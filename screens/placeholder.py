"""A calm placeholder for a screen that is still being built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.base import TendScreen


class PlaceholderScreen(TendScreen):
    """Says plainly what will be here."""

    DEFAULT_CSS = """
    PlaceholderScreen .placeholder-title { text-style: bold; margin: 1 2 0 2; }
    PlaceholderScreen .placeholder-text { margin: 1 2; color: $text-muted; }
    """
    PROMISE = ""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.TITLE_TEXT, classes="placeholder-title", markup=False)
            yield Static(self.PROMISE, classes="placeholder-text", markup=False)
