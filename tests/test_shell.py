"""The app shell, driven with the keyboard as a person would."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Label, Static

from app.storage import Store
from app.tui import MODE_NAMES
from screens.help import HelpScreen
from screens.hide import HideScreen
from app.models import Colleague
from screens.welcome import WelcomeScreen
from tests.conftest import HOSTILE, wait_until
from tests.notices import Notices

KEYS = {"today": "t", "scan": "s", "breathe": "b", "colleagues": "c", "rituals": "r"}


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """The text of every Static-like widget on the current screen (what a person reads)."""
    parts = []
    for widget in app.screen.query(Static):
        if widget.display:
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def test_each_main_screen_is_one_key_away(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.current_mode == "today"
        for mode in ["scan", "breathe", "colleagues", "rituals", "today", "rituals"]:
            await pilot.press(KEYS[mode])
            await pilot.pause()
            assert app.current_mode == mode
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "today"


@pytest.mark.parametrize("mode", MODE_NAMES)
async def test_the_command_line_can_open_any_screen(make_app, mode: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.current_mode == mode


async def test_help_lists_the_keys_of_the_current_screen(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = _screen_text(app)
        for words in ["Go to Today", "Go to the body scan", "Go to rituals", "Hide the screen", "Quit Tend"]:
            assert words in text
        # Textual's own ctrl+q does what q does: one row, in Tend's words.
        quit_rows = [(key, what) for key, what in app.screen.keys if "Quit" in what]
        assert quit_rows == [("q / ^q", "Quit Tend (everything is saved)")]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_palette_reaches_every_screen(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to rituals")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "rituals"


async def test_quick_hide_shows_nothing_of_the_user_and_any_key_returns(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, HideScreen)
        assert _screen_text(app).strip() == ""
        await pilot.press("r")  # would switch screens if it got through
        await pilot.pause()
        assert not isinstance(app.screen, HideScreen)
        assert app.current_mode == "today"


async def test_the_theme_is_remembered_across_runs(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert Store.open(data_dir).settings().theme == "nord"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_a_theme_that_no_longer_exists_falls_back_with_a_notice(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir).update_settings(theme="long-gone")
    app = make_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert notices.said("long-gone")


async def test_first_run_welcomes_once(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_app(welcomed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: data_dir.name in _screen_text(app))
        assert isinstance(app.screen, WelcomeScreen)
        assert data_dir.name in _screen_text(app).replace("\n", "")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
    again = make_app(welcomed=False)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, WelcomeScreen)


async def test_the_welcome_leads_where_the_user_chooses(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(welcomed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert app.current_mode == "colleagues"
        from screens.colleagues import ColleagueForm

        assert isinstance(app.screen, ColleagueForm)  # "Add a colleague" opens the form itself
        await pilot.press(*"Dana Ruiz", "ctrl+s")
        await pilot.pause()
        assert [c.name for c in app.store.all(Colleague)] == ["Dana Ruiz"]
        assert app.current_mode == "colleagues" and len(app.screen_stack) == 1  # and the list shows her


async def test_a_damaged_file_is_explained_at_start(make_app, data_dir) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir)
    Store.open(data_dir)
    (data_dir / "tend.json").write_bytes(b"{broken")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "could not be read" in _screen_text(app))
        text = _screen_text(app)
        assert "could not be read" in text
        assert "backup" in text
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "today"


async def test_a_failed_save_is_reported_and_the_app_carries_on(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno

    from app import storage as storage_module

    app = make_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        def broken(*args: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(storage_module.os, "replace", broken)
        with app.saving() as attempt:
            app.store.update_settings(bell=True)
        assert not attempt.ok
        await pilot.pause()
        assert notices.said("disk is full")
        assert app.is_running


class HostileApp(App[None]):
    """A bare app that shows one string at a time in a Label and a DataTable."""

    def compose(self) -> ComposeResult:
        yield Label("", id="label")
        yield DataTable(id="table")


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_text_renders_literally_and_triggers_nothing(text: str) -> None:
    from app.textclean import clean_text
    from screens.base import safe

    app = HostileApp()
    async with app.run_test(size=(120, 10)) as pilot:
        label = app.query_one("#label", Label)
        label.update(safe(text, multiline=False))
        table = app.query_one("#table", DataTable)
        table.add_column("text")
        table.add_row(safe(text, multiline=False))
        await pilot.pause()
        expected = clean_text(text, limit=100_000)
        assert str(label.render()) == expected  # shown as typed: brackets and all
        assert str(table.get_cell_at(Coordinate(0, 0))) == expected
        await pilot.click(label)
        await pilot.click(table, offset=(2, 1))
        await pilot.pause()
        assert app.is_running  # "[@click=app.quit]" did not quit


async def test_user_text_in_notifications_is_not_markup(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for text in HOSTILE:
            app.notify(text, markup=False)
        await pilot.pause()
        assert app.is_running
