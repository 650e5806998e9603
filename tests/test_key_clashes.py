"""A letter key bound by a widget on a main screen must not also be the screen's or the app's:
the focused widget would take it, and the footer's word for it would be wrong (Today's `w`
once meant "Sessions" in the footer and "write" in the circle's list)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding
from textual.widget import Widget

from app.modes import MODES
from app.storage import Store
from app.tui import TendApp

PLAIN = set("abcdefghijklmnopqrstuvwxyz0123456789") | {"space"}


def letter_keys(bindings: Any) -> dict[str, str]:
    keys: dict[str, str] = {}
    for binding in bindings:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                if key.strip() in PLAIN:
                    keys[key.strip()] = binding.action
    return keys


@pytest.mark.parametrize("mode", [m.name for m in MODES])
async def test_no_widget_on_a_main_screen_takes_a_letter_the_screen_or_app_uses(store: Store, mode: str) -> None:
    store.update_settings(welcomed=True, starters_offered=True)
    app = TendApp(store, start_mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        above = letter_keys(type(app).BINDINGS) | {
            k: a for cls in type(screen).__mro__ for k, a in letter_keys(getattr(cls, "BINDINGS", [])).items()
        }
        clashes = []
        for widget in screen.query(Widget):
            for key, action in letter_keys(getattr(type(widget), "BINDINGS", [])).items():
                if key in above and above[key] != action:
                    clashes.append(f"{type(widget).__name__}: {key} is {action!r} there, {above[key]!r} above")
        assert not clashes, clashes

