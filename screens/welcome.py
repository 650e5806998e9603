"""The first-run welcome: what Tend is, where your data lives, and where to begin."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from screens.base import TendModal, bound_key, key_hints

WELCOME = (
    "Tend is a small companion for the minutes between sessions. Helping work lands in "
    "the body and was never meant to be carried alone, so Tend keeps four things one key "
    "away: a quick body scan, a breathing reset, the colleagues you lean on, and the "
    "rituals that keep you going."
)


class WelcomeScreen(TendModal[str | None]):
    """Dismisses with the mode to open next (or None to stay on Today)."""

    CSS_PATH = "welcome.tcss"
    DEFAULT_CLASSES = "css-welcome"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "choose(None)", "Start", id="welcome.start", tooltip="Close and look around"),
        Binding("r", "choose('rituals')", "Starter rituals", id="welcome.rituals", tooltip="See a few starter rituals"),
        Binding("c", "choose('colleagues')", "Add a colleague", id="welcome.colleagues", tooltip="Add someone you lean on"),
        Binding("b", "choose('breathe')", "Breathe", id="welcome.breathe", tooltip="Try a breathing reset"),
    ]

    def __init__(self, data_dir: str) -> None:
        super().__init__()
        self.data_dir = data_dir

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-box"):
            yield Static(Content.styled("Welcome to Tend", "bold"), id="welcome-title")
            yield Static(Content(WELCOME))
            yield Static(
                Content.assemble(
                    "Everything stays on this machine, readable only by you, in ",
                    (self.data_dir, "bold"),
                    ". Tend never connects to the network.",
                ),
                id="welcome-data",
            )
            yield Static(
                Content("\n").join([
                    key_hints(self, "choose('rituals')", "choose('colleagues')", style="bold $accent"),
                    key_hints(self, "choose('breathe')", "choose(None)", style="bold $accent"),
                    Content.assemble((bound_key(self, "app.help"), "bold $accent"), " shows the keys of any screen"),
                ]),
                id="welcome-keys",
            )

    def action_choose(self, mode: str | None) -> None:
        self.dismiss(mode)
