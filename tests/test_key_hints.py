"""Key hints are built from the bindings they describe (screens.base.key_hints)."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from screens.base import key_hints


class HintedScreen(Screen[None]):
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+s", "save", "Save", id="t.save", tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="t.cancel", tooltip="Close without saving"),
        Binding("d,delete", "delete", "Delete", id="t.delete", tooltip="Delete"),
        Binding("r", "choose('rituals')", "Starter rituals", id="t.rituals", tooltip="Rituals"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(key_hints(self, "save", "focus_next", "cancel"), id="hint")


class HintApp(App[None]):
    BINDINGS: ClassVar[list[Binding]] = [Binding("question_mark", "help", "Keys", id="a.help", tooltip="Keys")]

    def on_mount(self) -> None:
        self.push_screen(HintedScreen())


async def test_hints_show_the_bound_keys_as_the_footer_does() -> None:
    app = HintApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert str(screen.query_one("#hint", Static).content) == "^s Save   tab Focus Next   esc Cancel"
        # first key of a multi-key binding, parameterised actions, the app's own keys
        assert key_hints(screen, "delete", "choose('rituals')", "app.help").plain == "d Delete   r Starter rituals   ? Keys"
        assert key_hints(screen, "help").plain == "? Keys"


async def test_keys_are_styled_and_descriptions_are_plain() -> None:
    app = HintApp()
    async with app.run_test():
        hint = key_hints(app.screen, "save", style="bold $accent")
        assert [(hint.plain[span.start:span.end], str(span.style)) for span in hint.spans] == [("^s", "bold $accent")]


async def test_an_action_without_a_binding_is_a_mistake_not_a_silent_gap() -> None:
    app = HintApp()
    async with app.run_test():
        with pytest.raises(ValueError, match="no binding for the action 'launch'"):
            key_hints(app.screen, "launch")


def test_outside_an_app_the_keys_are_shown_as_bound() -> None:
    assert key_hints(HintedScreen(), "cancel").plain == "escape Cancel"


async def test_tooltips_say_more_and_bound_key_names_one_key() -> None:
    from screens.base import bound_key

    app = HintApp()
    async with app.run_test():
        assert key_hints(app.screen, "cancel", "app.help", use_tooltip=True).plain == "esc Close without saving   ? Keys"
        assert bound_key(app.screen, "choose('rituals')") == "r"
        assert bound_key(app.screen, "save") == "^s"
