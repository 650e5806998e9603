"""The rituals room: its pick list keeps Textual's own toggle action intact."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode

from screens.rituals import PickList


def test_the_pick_list_does_not_override_domnode_toggle() -> None:
    assert PickList.action_toggle is DOMNode.action_toggle
    assert [b.action for b in Binding.make_bindings(PickList.BINDINGS)] == ["pick"]


async def test_space_picks_and_unpicks() -> None:
    class Picking(App[None]):
        def compose(self) -> ComposeResult:
            yield PickList([Content("Walk"), Content("Stretch")])

    app = Picking()
    async with app.run_test() as pilot:
        picks = app.query_one(PickList)
        picks.focus()
        picks.highlighted = 1
        await pilot.press("space")
        assert picks.selected == [1]
        await pilot.press("space")
        assert picks.selected == []
