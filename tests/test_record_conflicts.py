"""Two Tends open on the same person (two SSH sessions, two tmux panes), and removing someone
others point at: as a person at the keyboard sees it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static, TextArea

from app.models import Colleague, Contact, Ritual
from app.storage import Store
from app.tui import TendApp
from screens.colleagues import ColleagueForm, ColleagueTable
from screens.dialogs import ConfirmDialog
from screens.rituals import RitualForm
from tests.notices import Notices

SIZE = (80, 24)


HEARD: dict[int, Notices] = {}


def heard_run(app: TendApp) -> Any:
    """``app.run_test`` at SIZE, hearing every notification the app raises."""
    HEARD[id(app)] = notices = Notices()
    return app.run_test(size=SIZE, message_hook=notices)


def said(app: TendApp) -> list[str]:
    return [f"{n.title}: {n.message}" if n.title else n.message for n in HEARD[id(app)]]


def trouble(app: TendApp) -> list[str]:
    return [": ".join(filter(None, (n.title, n.message))) for n in HEARD[id(app)] if n.severity == "error"]  # over a dialog the title is folded in


def folder_with(tmp_path: Path, *names: str) -> tuple[Path, list[Colleague]]:
    folder = tmp_path / "d"
    store = Store.open(folder)
    store.update_settings(welcomed=True, starters_offered=True)
    return folder, [store.add(Colleague(name=name)) for name in names]


async def open_form_on(pilot: Any, name: str) -> ColleagueForm:
    table = pilot.app.screen.query_one(ColleagueTable)
    table.move_cursor(row=[row.colleague.name for row in pilot.app.screen.shown].index(name))
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ColleagueForm)
    return pilot.app.screen


async def test_a_rename_in_one_window_and_a_note_in_the_other_are_both_kept(tmp_path: Path) -> None:
    folder, _ = folder_with(tmp_path, "Alice")
    first = TendApp(Store.open(folder), start_mode="colleagues")
    second = TendApp(Store.open(folder), start_mode="colleagues")
    async with heard_run(first) as one, heard_run(second) as two:
        form_a = await open_form_on(one, "Alice")
        form_b = await open_form_on(two, "Alice")
        form_a.query_one("#form-name", Input).value = "Alice Rahman"
        await one.press("ctrl+s")
        await one.pause()
        form_b.query_one("#form-notes", TextArea).text = "Prefers a call after 4"
        await two.press("ctrl+s")
        await two.pause()
        assert not isinstance(first.screen, ColleagueForm) and not isinstance(second.screen, ColleagueForm)
        assert "Saved Alice Rahman." in said(first) and "Saved Alice Rahman." in said(second)
        assert not trouble(first) and not trouble(second)
    (alice,) = Store.open(folder).all(Colleague)
    assert (alice.name, alice.notes) == ("Alice Rahman", "Prefers a call after 4")


async def test_two_renames_are_refused_with_both_names_and_saving_again_keeps_yours(tmp_path: Path) -> None:
    folder, _ = folder_with(tmp_path, "Alice")
    first = TendApp(Store.open(folder), start_mode="colleagues")
    second = TendApp(Store.open(folder), start_mode="colleagues")
    async with heard_run(first) as one, heard_run(second) as two:
        form_a = await open_form_on(one, "Alice")
        form_b = await open_form_on(two, "Alice")
        form_a.query_one("#form-name", Input).value = "Alicia"
        form_a.query_one("#form-ideal", Input).value = "7"
        await one.press("ctrl+s")
        await one.pause()
        form_b.query_one("#form-name", Input).value = "Ali"
        form_b.query_one("#form-notes", TextArea).text = "Back from leave"
        await two.press("ctrl+s")
        await two.pause()
        # Refused, in plain words with both names; the form stays open with what was typed.
        assert second.screen is form_b
        assert form_b.query_one("#form-name", Input).value == "Ali"
        assert form_b.query_one("#form-notes", TextArea).text == "Back from leave"
        shown = str(form_b.query_one("#form-error", Static).render())
        assert "another window" in shown and '"Alicia"' in shown and '"Ali"' in shown
        (refusal,) = trouble(second)
        assert refusal.startswith("Not saved: While you were editing") and '"Alicia"' in refusal
        (alice,) = Store.open(folder).all(Colleague)
        assert alice.name == "Alicia" and alice.notes == ""  # nothing overwritten
        # Saving again keeps the name typed here, and the other window's "every 7 days".
        await two.press("ctrl+s")
        await two.pause()
        assert not isinstance(second.screen, ColleagueForm)
    (alice,) = Store.open(folder).all(Colleague)
    assert (alice.name, alice.notes, alice.ideal_days) == ("Ali", "Back from leave", 7)


async def test_a_ritual_changed_in_two_windows_keeps_both_changes(tmp_path: Path) -> None:
    folder, _ = folder_with(tmp_path)
    Store.open(folder).add(Ritual(name="Walk at lunch"))
    first = TendApp(Store.open(folder), start_mode="rituals")
    second = TendApp(Store.open(folder), start_mode="rituals")
    async with heard_run(first) as one, heard_run(second) as two:
        for pilot in (one, two):
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(pilot.app.screen, RitualForm)
        first.screen.query_one("#form-name", Input).value = "Walk at lunch, outside"
        await one.press("ctrl+s")
        await one.pause()
        second.screen.query_one("#form-note", Input).value = "Even ten minutes counts"
        await two.press("ctrl+s")
        await two.pause()
        assert not trouble(first) and not trouble(second)
    (walk,) = Store.open(folder).all(Ritual)
    assert (walk.name, walk.note) == ("Walk at lunch, outside", "Even ten minutes counts")


async def test_removing_someone_takes_them_off_rituals_and_u_puts_them_back(tmp_path: Path) -> None:
    folder, (ann, zed) = folder_with(tmp_path, "Ann", "Zed")
    store = Store.open(folder)
    store.add(Contact(colleague_id=zed.id or 0, when=zed.created, kind="call"))
    circle = store.add(Ritual(name="Peer circle", colleague_ids=[zed.id or 0, ann.id or 0]))
    app = TendApp(Store.open(folder), start_mode="colleagues")
    async with heard_run(app) as pilot:
        table = app.screen.query_one(ColleagueTable)
        table.move_cursor(row=[row.colleague.name for row in app.screen.shown].index("Zed"))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.question)
        assert "1 ritual" in question and "Peer circle" in question and "links and all" in question
        await pilot.press("y")
        await pilot.pause()
        assert store.get(Ritual, circle.id or 0).colleague_ids == [ann.id]  # type: ignore[union-attr]
        assert store.all(Contact) == []
        # Someone new gets a new id: the ritual never shows them in Zed's place.
        newcomer = store.add(Colleague(name="Zed Newcomer"))
        assert newcomer.id != zed.id
        await pilot.press("u")
        await pilot.pause()
        assert not trouble(app)
    back = store.get(Colleague, zed.id or 0)
    assert back is not None and back.name == "Zed"
    assert store.get(Ritual, circle.id or 0).colleague_ids == [zed.id, ann.id]  # type: ignore[union-attr]
    assert [c.colleague_id for c in store.all(Contact)] == [zed.id]


async def test_a_ritual_never_shows_a_newcomer_in_place_of_someone_removed(tmp_path: Path) -> None:
    folder, (ann, zed) = folder_with(tmp_path, "Ann", "Zed")
    store = Store.open(folder)
    store.add(Ritual(name="Peer circle", colleague_ids=[zed.id or 0]))
    store.remove(Colleague, zed.id or 0)  # removed elsewhere, the ritual still pointing at them
    store.add(Colleague(name="Zed Newcomer"))
    app = TendApp(Store.open(folder), start_mode="rituals")
    async with heard_run(app) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        facts = str(app.screen.query_one("#detail-facts", Static).render())
        assert "Zed Newcomer" not in facts


async def test_a_draft_left_by_a_dropped_connection_keeps_changes_made_elsewhere_since(tmp_path: Path) -> None:
    folder, (alice,) = folder_with(tmp_path, "Alice")
    app = TendApp(Store.open(folder), start_mode="colleagues")
    async with heard_run(app) as pilot:
        form = await open_form_on(pilot, "Alice")
        form.query_one("#form-notes", TextArea).text = "Half a thought"
        app.save_drafts()  # what quit, SIGHUP and SIGTERM do
    other = Store.open(folder)  # meanwhile, another window renames her
    other.update(replace(alice, name="Alice Rahman"))
    again = TendApp(Store.open(folder), start_mode="colleagues")
    async with heard_run(again) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ColleagueForm)  # the draft, back as it was left
        assert again.screen.query_one("#form-notes", TextArea).text == "Half a thought"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not trouble(again)
    (saved,) = Store.open(folder).all(Colleague)
    assert (saved.name, saved.notes) == ("Alice Rahman", "Half a thought")
