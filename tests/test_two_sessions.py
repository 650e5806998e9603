"""Two Tends open on the same data (two SSH sessions, two tmux panes): each shows what the
other saved when its screen is shown again, and neither trips over the other's ids."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList

from app.models import Colleague, Contact, Ritual, RitualEntry
from app.schedule import Schedule
from app.storage import Store
from app.tui import TendApp
from screens.colleagues import ColleagueCard, ColleagueForm, ColleagueTable
from tests.conftest import wait_until, waiting_line_shown
from tests.notices import Notices


def names_listed(app: TendApp) -> list[str]:
    return [row.colleague.name for row in app.screen.shown]


def trouble(notices: Notices) -> list[str]:
    """Notifications that say something went wrong (there should be none, or plain ones)."""
    return [": ".join(filter(None, (n.title, n.message))) for n in notices if n.severity == "error"]  # over a dialog the title is folded in


def due_on_today(app: TendApp) -> list[str]:
    """The rituals Today lists as due, as drawn."""
    listing = app.screen.query_one("#today-rituals", OptionList)
    if not listing.display:
        return []
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def add_colleague(pilot: Any, name: str) -> None:
    await pilot.press("a")
    await pilot.pause()
    pilot.app.screen.query_one("#form-name", Input).value = name
    await pilot.press("ctrl+s")
    await pilot.pause()


async def revisit(pilot: Any, key: str) -> None:
    """Switch to another screen and back, as a person would."""
    await pilot.press("t" if key != "t" else "c", key)
    await pilot.pause()


async def test_two_tends_on_one_folder_see_each_others_changes(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    Store.open(folder).update_settings(welcomed=True, starters_offered=True)
    first = TendApp(Store.open(folder), start_mode="colleagues")
    second = TendApp(Store.open(folder), start_mode="colleagues")
    heard_first, heard_second = Notices(), Notices()
    async with (
        first.run_test(size=(80, 24), message_hook=heard_first) as one,
        second.run_test(size=(80, 24), message_hook=heard_second) as two,
    ):
        await add_colleague(one, "Ann from the first")
        assert names_listed(first) == ["Ann from the first"]
        assert names_listed(second) == []  # not yet: the second has not looked again
        await revisit(two, "c")
        assert names_listed(second) == ["Ann from the first"]
        # The second adds someone too: its own id, no "document already exists".
        await add_colleague(two, "Bo from the second")
        await add_colleague(one, "Cy from the first")
        await revisit(one, "c")
        await revisit(two, "c")
        assert sorted(names_listed(first)) == sorted(names_listed(second)) == [
            "Ann from the first", "Bo from the second", "Cy from the first",
        ]  # fmt: skip
        ids = [c.id for c in Store.open(folder).all(Colleague)]
        assert len(set(ids)) == 3
        # Each logs a contact with the same person; both are kept.
        for pilot in (one, two):
            await pilot.press("home", "l")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert len(Store.open(folder).all(Contact)) == 2
        # The first removes someone the second is looking at; the second's edit says so plainly.
        await two.press("home", "enter")
        await two.pause()
        assert isinstance(second.screen, ColleagueCard)
        shown = second.screen.colleague
        table = first.screen.query_one(ColleagueTable)
        table.focus()
        table.move_cursor(row=[row.colleague.id for row in first.screen.shown].index(shown.id))
        await one.press("d", "y")
        await one.pause()
        await two.press("e")
        await two.pause()
        second.screen.query_one("#form-notes").text = "changed in the second window"
        await two.press("ctrl+s")
        await two.pause()
        assert trouble(heard_second) == [
            "Not saved: That entry was removed, perhaps in another Tend window, so the change "
            "could not be saved."
        ]
        assert second.is_running and first.is_running
        assert not trouble(heard_first)


async def test_a_ritual_marked_in_one_tend_shows_done_in_the_other(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    store = Store.open(folder)
    store.update_settings(welcomed=True, starters_offered=True)
    store.add(Ritual(name="Walk at lunch", schedule=Schedule.daily().to_dict()))
    first = TendApp(Store.open(folder), start_mode="rituals")
    second = TendApp(Store.open(folder), start_mode="today")
    heard_first, heard_second = Notices(), Notices()
    async with (
        first.run_test(size=(80, 24), message_hook=heard_first) as one,
        second.run_test(size=(80, 24), message_hook=heard_second) as two,
    ):
        await two.pause()
        [walk] = due_on_today(second)
        assert "Walk at lunch" in walk
        await one.press("space")
        await one.pause()
        assert len(Store.open(folder).all(RitualEntry)) == 1
        await revisit(two, "t")
        assert due_on_today(second) == []  # done in the other window: nothing due here
        assert not trouble(heard_first) and not trouble(heard_second)


async def add_colleague_while_another_saves(pilot: Any, name: str, waited: list[bool]) -> None:
    """As a person would while another Tend saves: a save that meets the other's lock shows
    the waiting line and goes through by itself once the lock is free (the form saves
    again); a key pressed while the line is up is not taken, so they press it again.
    ``waited`` gets True for each time the waiting line was seen."""
    app = pilot.app

    def line_gone() -> bool:
        shown = waiting_line_shown(app)
        waited.append(shown)
        return not shown

    for _ in range(20):
        assert await wait_until(pilot, line_gone), "still waiting for the other Tend"
        if isinstance(app.screen, ColleagueForm):
            break
        await pilot.press("a")
        await pilot.pause()
    form = app.screen
    assert isinstance(form, ColleagueForm)
    form.query_one("#form-name", Input).value = name
    await pilot.press("ctrl+s")
    assert await wait_until(pilot, lambda: line_gone() and app.screen is not form), "not saved"


def _writer(folder: str, count: int) -> None:
    """Another Tend process saving colleagues and contacts, each save holding the lock a
    while (a slow disk, a busy server), so this window's saves are sure to meet it."""
    store = Store.open(Path(folder))
    for n in range(count):
        with store.transaction():
            person = store.add(Colleague(name=f"Other {n}"))
            store.add(Contact(colleague_id=person.id or 0, when=person.created))
            time.sleep(0.05)


@pytest.mark.slow
async def test_a_tend_open_while_another_process_writes_shows_it_all(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    Store.open(folder).update_settings(welcomed=True, starters_offered=True)
    app = TendApp(Store.open(folder), start_mode="colleagues")
    notices = Notices()
    waited: list[bool] = []
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        writer = multiprocessing.get_context("fork").Process(target=_writer, args=(str(folder), 40))
        writer.start()
        for n in range(8):  # this window saves too, while the other writes
            await add_colleague_while_another_saves(pilot, f"Mine {n}", waited)
        writer.join(60)
        assert writer.exitcode == 0
        assert any(waited), "no save here met the other's lock: the test did not test that"
        await revisit(pilot, "c")
        listed = names_listed(app)
        assert len(listed) == 48 and len(set(listed)) == 48
        assert not trouble(notices)
    everyone = Store.open(folder).all(Colleague)
    assert len({c.id for c in everyone}) == 48
