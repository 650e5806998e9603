"""Quick-hide: a plain, neutral screen with nothing of yours on it. Any key brings Tend back."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from screens.base import DismissOnTop


class HideScreen(DismissOnTop, Screen[None]):
    """Covers everything; shows only a neutral line. Any key returns."""

    CSS_PATH = "hide.tcss"
    DEFAULT_CLASSES = "css-hide"
    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        yield Static("", id="hide-blank", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(None)
