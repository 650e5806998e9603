"""The ``?`` help: the keys of the screen you were on, built from its live bindings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from screens.base import TendModal

GLOBAL_NOTE = (
    "ctrl+p opens the command palette, which reaches every screen and action. "
    "ctrl+b hides the screen at once; any key brings it back."
)


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    """(key, what it does) for every binding active on ``screen``, app keys included."""
    seen: dict[str, tuple[str, str, bool]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        # Tend's own keys all carry a tooltip; Textual's built-in scrolling keys do not.
        if binding.system or not (binding.tooltip or binding.show) or not binding.description:
            continue
        description = binding.tooltip or binding.description
        shown = screen.app.get_key_display(binding)
        ours = binding.id is not None  # every Tend binding has an id; Textual's ctrl+q has none
        if binding.action in seen:  # one line per action: "q / ctrl+q", in Tend's words
            keys, said, said_by_us = seen[binding.action]
            keys = f"{shown} / {keys}" if ours and not said_by_us else f"{keys} / {shown}"
            seen[binding.action] = (keys, said if said_by_us or not ours else description, said_by_us or ours)
        else:
            seen[binding.action] = (shown, description, ours)
    return [(keys, description) for keys, description, _ in seen.values()]


class HelpScreen(TendModal[None]):
    """Lists the keys of the screen underneath; any of escape, ``?``, ``q`` closes it."""

    CSS_PATH = "help.tcss"
    DEFAULT_CLASSES = "css-help"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close", tooltip="Close help"),
        Binding("question_mark,f1,q,enter", "close", "Close", id="help.close.more", tooltip="Close help", show=False),
    ]

    def __init__(self, underneath: Screen, about: str = "") -> None:
        super().__init__()
        self.keys = describe_keys(underneath)
        self.about = about

    def compose(self) -> ComposeResult:
        # One scrolling column (focused, so up/down, page up/down, home and end move it):
        # at 80x24 every line of it can be reached, the last tip included.
        with Vertical(id="help-box"), VerticalScroll(id="help-scroll"):
            yield Static(Content.styled("Keys for this screen", "bold"), id="help-title")
            if self.about:
                yield Static(Content(self.about), id="help-about")
            # Two columns, so a description too long for its line wraps under itself, not
            # under the keys.
            width = max((len(key) for key, _ in self.keys), default=4) + 2
            keys = Grid(id="help-keys")
            keys.styles.grid_columns = f"{width} 1fr"
            with keys:
                for key, description in self.keys:
                    yield Static(Content.styled(key, "bold $accent"), classes="help-key")
                    yield Static(Content(description), classes="help-what")
            yield Static(Content(GLOBAL_NOTE), id="help-note")

    def action_close(self) -> None:
        self.dismiss(None)
