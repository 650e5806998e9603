"""The scan screen's keys come from app.bodyscan.KEYMAP, its options from its constructor.

KEYMAP is the single source of the item keys: a key added there is bound on the screen and
does what the state says it does; the screen adds no item key of its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding

from app import bodyscan as bs
from app.bodyscan import ScanState
from app.modes import StartOptions
from screens.scan import ScanScreen
from tests.screentext import screen_text

SIZE = (80, 24)


def item_bindings() -> list[Binding]:
    return [b for b in Binding.make_bindings(ScanScreen.BINDINGS) if b.action.startswith("scan(")]


def test_every_keymap_key_is_bound_to_its_action_and_no_other_item_key_is() -> None:
    bound = {b.key: b.action for b in item_bindings()}
    assert bound == {key: f"scan({action!r}, {arg!r})" for key, (action, arg) in bs.KEYMAP.items()}
    assert all(b.id and b.tooltip for b in Binding.make_bindings(ScanScreen.BINDINGS) if b.show)


def test_the_footer_keys_stay_in_the_order_people_know() -> None:
    shown = [(b.key_display or b.key, b.description) for b in item_bindings() if b.show]
    assert shown == [("0-3", "Rate"), ("s", "Skip"), ("left", "Back"), ("d", "Done"), ("space", "Hold")]


def test_g_switches_pace_through_the_state() -> None:
    state = ScanState.new(bs.QUICK)
    assert state.apply(*bs.KEYMAP["g"]) is bs.Outcome.CHANGED and state.mode == bs.GUIDED
    assert state.apply(*bs.KEYMAP["g"]) is bs.Outcome.CHANGED and state.mode == bs.QUICK
    state.finish()
    assert state.apply(*bs.KEYMAP["g"]) is bs.Outcome.UNCHANGED
    assert state.apply("sing") is bs.Outcome.UNKNOWN


def test_a_key_added_to_the_keymap_is_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from screens.scan.keys import scan_bindings

    monkeypatch.setitem(bs.KEYMAP, "Y", (bs.SKIP, None))  # a key nothing on the screen takes
    [x] = [b for b in Binding.make_bindings(scan_bindings()) if b.key == "Y"]
    assert x.action == "scan('skip', None)" and x.id == "scan.skip"


async def test_the_options_given_to_the_screen_start_a_guided_scan(make_app: Any) -> None:
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        screen = ScanScreen(StartOptions(guided=True, seconds=6))
        app.push_screen(screen)
        await pilot.pause()
        assert screen.state.mode == bs.GUIDED and "next in 6 s" in screen_text(app)
        app.pop_screen()
        await pilot.pause()
        plain = ScanScreen()
        app.push_screen(plain)
        await pilot.pause()
        assert plain.state.mode == bs.QUICK and "Quick: a number rates" in screen_text(app)


async def test_the_dialogs_hints_name_the_keys_they_are_bound_to(make_app: Any, store: Any) -> None:
    from app.models import Colleague
    from app.models import Contact
    from app.people import rank_colleagues
    from screens.scan import CheckInDialog, ResumeDialog

    store.add(Colleague(name="Ann Lee"))
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ResumeDialog(ScanState.new()))
        await pilot.pause()
        assert "⏎ Carry on   n Start fresh" in screen_text(app)  # as the footer shows them
        app.pop_screen()
        [ranked] = rank_colleagues(store.all(Colleague), list[Contact]())
        found = (ranked.colleague, ranked.where)
        from app.people import all_templates

        app.push_screen(CheckInDialog(*found, all_templates([])))
        await pilot.pause()
        assert "y Copy   n Another message   l Log as sent   esc Close" in screen_text(app)


async def test_a_save_refreshes_the_scan_once(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan subscribes to saves once (its on_mount no longer calls the base's again)."""
    from app.models import Colleague

    calls: list[int] = []
    refresh = ScanScreen.refresh_data
    monkeypatch.setattr(ScanScreen, "refresh_data", lambda self: (calls.append(1), refresh(self))[1])
    app = make_app("scan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calls.clear()
        with app.saving() as attempt:
            app.store.add(Colleague(name="Ann Lee"))
        assert attempt.ok
        await pilot.pause()
        assert len(calls) == 1
