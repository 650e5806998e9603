"""Deleting a dated note from a colleague's card: N asks which (or, with one note, asks once),
and u on the card brings it back where it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from textual.widgets import Static

from app.models import Colleague, Contact
from app.people import add_dated_note, put_back_dated_note, take_dated_note
from app.storage import Store
from screens.colleagues import ColleagueCard
from screens.colleagues.notes import NotePicker
from screens.dialogs import ConfirmDialog
from tests.screentext import screenshot_lines

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
SIZE = (80, 24)
NOTES = [
    {"day": "2026-10-01", "text": "started a new job"},
    {"day": "2026-11-20", "text": "back from leave on the 12th"},
    {"day": "2026-08-01", "text": "moved to the night team"},
    {"day": "2026-07-01", "text": "likes a walk, not a call"},
]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> pendulum.DateTime:
    monkeypatch.setattr(pendulum, "now", lambda tz=None: NOW.in_timezone(tz) if tz else NOW)
    monkeypatch.setattr(pendulum, "today", lambda tz=None: NOW.start_of("day"))
    return NOW


def details(app: Any) -> str:
    return str(app.screen.query_one("#card-details", Static).render())


async def open_card(pilot: Any, app: Any) -> ColleagueCard:
    await pilot.press("enter")
    await pilot.pause()
    card = app.screen
    assert isinstance(card, ColleagueCard)
    return card


async def test_n_asks_which_note_deletes_it_and_u_brings_it_back(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    jo = store.add(Colleague(name="Jo Lee", created=NOW.subtract(years=1), dated_notes=list(NOTES)))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        card = await open_card(pilot, app)
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, NotePicker)
        shown = "\n".join(screenshot_lines(app))
        # every note, the newest first (the card shows only three)
        order = ["back from leave", "started a new job", "moved to the night team", "likes a walk"]
        assert all(words in shown for words in order)
        assert [shown.index(words) for words in order] == sorted(shown.index(words) for words in order)
        await pilot.press("escape")  # keeps them all
        await pilot.pause()
        assert app.screen is card and store.get(Colleague, jo.id or 0).dated_notes == NOTES
        await pilot.press("N", "down", "enter")  # the second newest
        await pilot.pause()
        assert app.screen is card
        assert "started a new job" not in details(app)
        assert "1 Aug 2026  moved to the night team" in details(app)  # the next one moves up
        assert [n["text"] for n in store.get(Colleague, jo.id or 0).dated_notes] == [
            "back from leave on the 12th", "moved to the night team", "likes a walk, not a call"
        ]  # fmt: skip
        assert "Note deleted. Press u to bring it back." in "\n".join(screenshot_lines(app))
        await pilot.press("u")
        await pilot.pause()
        assert app.screen is card
        assert store.get(Colleague, jo.id or 0).dated_notes == NOTES  # back in its place
        assert "1 Oct 2026  started a new job" in details(app)
        assert not card.check_action("undo", ())  # nothing more to bring back


async def test_with_one_note_n_asks_once_and_only_when_there_is_a_note(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    jo = store.add(Colleague(name="Jo Lee", created=NOW.subtract(years=1), dated_notes=NOTES[:1]))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, app)
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete the note 1 Oct 2026  started a new job?" in "\n".join(screenshot_lines(app))
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert app.screen is card and store.get(Colleague, jo.id or 0).dated_notes == NOTES[:1]
        await pilot.press("N", "y")
        await pilot.pause()
        assert store.get(Colleague, jo.id or 0).dated_notes == []
        assert "Noted" not in details(app)
        await pilot.press("N")  # no note left: nothing to ask about
        await pilot.pause()
        assert app.screen is card
        await pilot.press("u")
        await pilot.pause()
        assert store.get(Colleague, jo.id or 0).dated_notes == NOTES[:1]


async def test_u_on_the_card_brings_back_a_deleted_contact_too(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    jo = store.add(Colleague(name="Jo Lee", created=NOW.subtract(years=1)))
    store.add(Contact(colleague_id=jo.id or 0, when=NOW.subtract(days=3), note="coffee"))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, app)
        assert not card.check_action("undo", ())
        await pilot.press("x", "y")
        await pilot.pause()
        assert store.all(Contact) == []
        await pilot.press("u")
        await pilot.pause()
        assert app.screen is card
        assert [c.note for c in store.all(Contact)] == ["coffee"]
        assert "coffee" in "\n".join(screenshot_lines(app))


def test_a_note_put_back_keeps_its_place_beside_notes_added_since(store: Store) -> None:
    jo = store.add(Colleague(name="Jo Lee", dated_notes=list(NOTES)))
    taken = take_dated_note(store, jo.id or 0, dt.date(2026, 11, 20), "back from leave on the 12th")
    assert taken is not None and taken.place == 1
    assert take_dated_note(store, jo.id or 0, dt.date(2026, 11, 20), "back from leave on the 12th") is None
    add_dated_note(store, jo.id or 0, "a new one", dt.date(2026, 11, 25))
    put_back_dated_note(store, taken)
    assert store.get(Colleague, jo.id or 0).dated_notes == [*NOTES, {"day": "2026-11-25", "text": "a new one"}]
