"""Every main screen reads its data once per save and once per showing, not two to four times.

Textual calls an ``on_mount`` or ``on_screen_resume`` of every class in a screen's hierarchy
by itself; a handler that also called ``super()``'s ran the base's twice: two subscriptions to
``data_changed``, two reads per save. And Textual posts ``ScreenResume`` twice when a mode is
first opened. Counted through the screens' public ``refresh_data``.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.modes import MODE_NAMES


def count_refreshes(screen: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = screen.refresh_data

    def counted() -> None:
        calls.append(1)
        original()

    monkeypatch.setattr(screen, "refresh_data", counted)
    return calls


def count_class_refreshes(screen_class: type, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every ``refresh_data`` of any screen of ``screen_class``, by the screen it read for."""
    calls: list[object] = []
    original = screen_class.refresh_data

    def counted(self: Any) -> None:
        calls.append(self)
        original(self)

    monkeypatch.setattr(screen_class, "refresh_data", counted)
    return calls


@pytest.mark.parametrize("mode", MODE_NAMES)
async def test_one_refresh_per_save_and_per_showing(make_app, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    app = make_app(mode)
    app.store.update_settings(starters_offered=True)  # no offer of starter rituals on top
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert mode == screen.MODE
        calls = count_refreshes(screen, monkeypatch)

        with app.saving("settings") as attempt:  # any save, as a screen makes one
            app.store.update_settings(bell=not app.store.settings().bell)
        assert attempt.ok
        await pilot.pause()
        assert len(calls) == 1

        calls.clear()
        await pilot.press("question_mark")  # the help over it, then back
        await pilot.pause()
        assert app.screen is not screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert len(calls) == 1


async def test_a_mode_opened_for_the_first_time_reads_its_data_once(make_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Textual 8.2.8 posts ScreenResume twice when a mode is first opened; one read all the same."""
    from screens.today import TodayScreen

    calls = count_class_refreshes(TodayScreen, monkeypatch)
    app = make_app("breathe")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert app.current_mode == "today"
        assert len(calls) == 1


@pytest.mark.parametrize("mode", MODE_NAMES)
async def test_the_first_screen_reads_its_data_once_on_a_folder_with_data(make_app, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The first screen is composed with the app: it must not take the data it opens with for
    another Tend's change and read it a second time."""
    import importlib

    from app.models import Colleague, Ritual
    from app.modes import MODE_BY_NAME
    from app.schedule import Schedule

    module_name, class_name = MODE_BY_NAME[mode].screen.split(":")
    calls = count_class_refreshes(getattr(importlib.import_module(module_name), class_name), monkeypatch)
    app = make_app(mode)
    app.store.update_settings(starters_offered=True)
    app.store.add(Colleague(name="Ann Lee"))
    app.store.add(Ritual(name="Walk", schedule=Schedule.daily().to_dict()))
    app = make_app(mode)  # opened on the folder as it now is
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert len(calls) == 1
