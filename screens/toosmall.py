"""Shown instead of a squashed layout when the terminal is smaller than Tend can use."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 50
MIN_HEIGHT = 14


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """A calm note; it goes away by itself when the window grows."""

    CSS_PATH = "toosmall.tcss"
    DEFAULT_CLASSES = "css-toosmall"
    AUTO_FOCUS = None

    def compose(self) -> ComposeResult:
        yield Static(
            f"Tend needs a little more room.\nMake the window at least {MIN_WIDTH}x{MIN_HEIGHT}\n(q quits).",
            id="too-small-text",
            markup=False,
        )
