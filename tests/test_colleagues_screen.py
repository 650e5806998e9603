"""The colleagues screen, driven with the keyboard as a person would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from app.models import Colleague, Contact, MessageTemplate
from app.people import BUILTIN_TEMPLATES, fill_template, templates_for
from app.storage import Store
from screens.colleagues import (
    ColleagueCard,
    ColleagueForm,
    ColleaguesScreen,
    LogContactDialog,
    MessageDialog,
    TemplatePicker,
)
from screens.dialogs import ConfirmDialog, NoticeDialog
from tests.conftest import HOSTILE
from tests.notices import Notices
from tests.screentext import screen_text

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")  # a Wednesday afternoon
SIZE = (80, 24)
FOR_A_SUPERVISOR = templates_for(Colleague(name="Ann Lee", role="supervisor"), BUILTIN_TEMPLATES)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> pendulum.DateTime:
    """Fix "now" for the screen, the records and parse_when (pendulum.travel_to needs an
    optional package, so pendulum.now itself is replaced for the test)."""

    def fixed(tz: Any = None) -> pendulum.DateTime:
        return NOW.in_timezone(tz) if tz else NOW

    monkeypatch.setattr(pendulum, "now", fixed)
    return NOW


def seed(store: Store) -> dict[str, Colleague]:
    people = {
        "ann": store.add(Colleague(name="Ann Lee", role="supervisor", reach=["07700 900123"],
                                   ideal_days=14, limit_days=21, tags=["supervision"])),
        "bo": store.add(Colleague(name="Bo Chen", role="peer", ideal_days=7,
                                  notes="Met at the trauma training")),
        "cy": store.add(Colleague(name="Cy Diaz", role="mentor", ideal_days=30,
                                  created=NOW.subtract(days=40))),  # added before their first 30 days
    }  # fmt: skip
    store.add(Contact(colleague_id=people["ann"].id, when=NOW.subtract(days=30), kind="call"))  # type: ignore[arg-type]
    store.add(Contact(colleague_id=people["ann"].id, when=NOW.subtract(days=16), kind="supervision",  # type: ignore[arg-type]
                      note="case load"))  # fmt: skip
    store.add(Contact(colleague_id=people["bo"].id, when=NOW.subtract(days=2), kind="coffee"))  # type: ignore[arg-type]
    return people


def names_shown(app: Any) -> list[str]:
    table = app.screen.query_one(DataTable)
    if not table.display:
        return []
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def statuses_shown(app: Any) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def type_text(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


@pytest.fixture
def opened(make_app: Callable[..., Any], store: Store, clock: pendulum.DateTime) -> Callable[..., Any]:
    def build(with_people: bool = True) -> Any:
        if with_people:
            seed(store)
        return make_app("colleagues")

    return build


async def test_list_is_ordered_by_who_is_most_due_with_words_and_symbols(opened: Any) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Cy: never contacted (due, priority 0); Ann: 16 days of 14 (due, 2/14);
        # Bo: 2 days of 7 (on track).
        assert names_shown(app) == ["Ann Lee", "Cy Diaz", "Bo Chen"]
        assert statuses_shown(app) == ["» due", "» due", "· on track"]
        summary = str(app.screen.query_one("#people-summary", Static).render())
        assert "2 due" in summary
        detail = str(app.screen.query_one("#people-detail", Static).render())
        assert "Ann Lee" in detail and "Last: supervision, 16 days ago." in detail


async def test_empty_list_welcomes_and_offers_add_and_import(opened: Any) -> None:
    app = opened(with_people=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#people-empty", Static).render())
        assert "No one here yet." in text and "Press a to add" in text
        await pilot.press("l", "m", "e", "d", "slash")  # nothing to act on: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ColleaguesScreen)


async def test_add_a_colleague(opened: Any, store: Store) -> None:
    app = opened(with_people=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ColleagueForm)
        await type_text(pilot, "Dee [/] Ng")
        form = app.screen
        form.query_one("#form-role").value = "mentor"
        form.query_one("#form-reach", TextArea).text = "dee@example.org\n\n 07700 900111 "
        form.query_one("#form-ideal", Input).value = "10"
        form.query_one("#form-limit", Input).value = "20"
        form.query_one("#form-notes", TextArea).text = "Walks on Fridays"
        form.query_one("#form-tags", Input).value = "walks, friday, walks"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ColleaguesScreen)
        [dee] = store.all(Colleague)
        assert (dee.name, dee.role, dee.reach) == ("Dee [/] Ng", "mentor", ["dee@example.org", "07700 900111"])
        assert (dee.ideal_days, dee.limit_days, dee.notes, dee.tags) == (10, 20, "Walks on Fridays", ["walks", "friday"])
        assert names_shown(app) == ["Dee [/] Ng"]
        assert statuses_shown(app) == ["+ new"]  # just added: not due until 10 days have passed


async def test_the_person_just_added_is_the_one_highlighted(opened: Any) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "Ada")
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = app.screen.current_row()
        assert row is not None and row.colleague.name == "Ada"  # not whoever was highlighted before


async def test_the_form_explains_what_to_fix_and_keeps_the_text(opened: Any, store: Store) -> None:
    app = opened(with_people=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        notes_hint = " ".join(str(w.render()) for w in app.screen.query(".form-reminder"))
        assert "Client details never belong here" in notes_hint
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#form-name-error", Static)  # beside its field (issue 17)
        assert "A name, please" in str(error.render())
        await type_text(pilot, "Eve")
        app.screen.query_one("#form-ideal", Input).value = "14"
        app.screen.query_one("#form-limit", Input).value = "7"
        await pilot.press("enter")  # enter in a one-line field saves too
        await pilot.pause()
        assert isinstance(app.screen, ColleagueForm)
        cadence = app.screen.query_one("#form-cadence-words", Static)
        assert "only start to matter after 14 days or more" in str(cadence.render())
        app.screen.query_one("#form-limit", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert [c.name for c in store.all(Colleague)] == ["Eve"]


async def test_escape_leaves_the_form_without_saving(opened: Any, store: Store) -> None:
    app = opened(with_people=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "Fay")
        await pilot.press("escape")  # something typed: asked first (y closes without saving)
        await pilot.pause()
        assert "Close without saving" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ColleaguesScreen)
        assert store.all(Colleague) == []


async def test_edit_the_highlighted_colleague(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "e")  # Cy Diaz
        await pilot.pause()
        name = app.screen.query_one("#form-name", Input)
        assert name.value == "Cy Diaz"
        name.value = "Cy Díaz"
        app.screen.query_one("#form-ideal", Input).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        cy = [c for c in store.all(Colleague) if c.role == "mentor"][0]
        assert (cy.name, cy.ideal_days) == ("Cy Díaz", 3)
        assert len(store.all(Colleague)) == 3
        assert "Cy Díaz" in names_shown(app)


async def test_a_form_draft_survives_a_dropped_connection(opened: Any, store: Store) -> None:
    app = opened(with_people=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "Gil")
        app.save_drafts()  # what quit, SIGHUP and SIGTERM do
    again = opened(with_people=False)
    notices = Notices()
    async with again.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ColleagueForm)  # open again, as it was left
        assert again.screen.query_one("#form-name", Input).value == "Gil"
        assert notices.said("unsaved changes are back")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [c.name for c in store.all(Colleague)] == ["Gil"]
    assert store.draft("colleague-form") is None


async def leave_notes_on_an_edit(opened: Any) -> Colleague:
    """Write in the highlighted colleague's notes, then drop the connection; returns them."""
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        editing: Colleague = app.screen.colleague
        app.screen.query_one("#form-notes", TextArea).text = "Half a thought"
        app.save_drafts()
    return editing


async def test_a_draft_of_an_edit_reopens_on_that_person(opened: Any, store: Store) -> None:
    editing = await leave_notes_on_an_edit(opened)
    again = opened(with_people=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ColleagueForm) and again.screen.colleague.id == editing.id
        assert again.screen.query_one("#form-notes", TextArea).text == "Half a thought"
        await pilot.press("escape", "y")  # cancel, and yes, close: the draft goes, and it is not offered again
        await pilot.press("t", "c")
        await pilot.pause()
        assert isinstance(again.screen, ColleaguesScreen)
    assert store.draft("colleague-form") is None


async def test_a_draft_for_someone_removed_meanwhile_comes_back_as_someone_new(opened: Any, store: Store) -> None:
    editing = await leave_notes_on_an_edit(opened)
    store.remove(Colleague, editing.id)  # say, in another Tend window
    again = opened(with_people=False)
    notices = Notices()
    async with again.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ColleagueForm) and again.screen.colleague is None
        assert again.screen.query_one("#form-name", Input).value == editing.name
        assert notices.said("back as someone new")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [c.notes for c in store.all(Colleague) if c.name == editing.name] == ["Half a thought"]
    assert store.draft("colleague-form") is None


async def test_delete_asks_once_and_u_brings_everything_back(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        ann_id = [c.id for c in store.all(Colleague) if c.name == "Ann Lee"][0]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert len(store.all(Colleague)) == 3
        await pilot.press("d", "y")
        await pilot.pause()
        assert names_shown(app) == ["Cy Diaz", "Bo Chen"]
        assert [c.colleague_id for c in store.all(Contact)] == [2]  # Ann's history went too
        await pilot.press("u")
        await pilot.pause()
        assert names_shown(app) == ["Ann Lee", "Cy Diaz", "Bo Chen"]
        ann = store.get(Colleague, ann_id)
        assert ann is not None and ann.name == "Ann Lee"
        assert sorted(c.kind for c in store.all(Contact) if c.colleague_id == ann_id) == ["call", "supervision"]
        assert not app.screen.check_action("undo", ())  # nothing left to undo


async def test_filter_as_you_type_and_escape_clears(opened: Any) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "super")  # Ann's role and tag
        await pilot.pause()
        assert names_shown(app) == ["Ann Lee"]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "trauma")  # Bo's notes
        await pilot.pause()
        assert names_shown(app) == ["Bo Chen"]
        await type_text(pilot, " nobody")
        await pilot.pause()
        assert names_shown(app) == []
        assert "No one matches" in str(app.screen.query_one("#people-empty", Static).render())
        await pilot.press(*["backspace"] * 7, "down")  # down moves from the filter to the list
        await pilot.pause()
        assert names_shown(app) == ["Bo Chen"]
        assert isinstance(app.focused, DataTable)
        await pilot.press("escape")
        await pilot.pause()
        assert names_shown(app) == ["Ann Lee", "Cy Diaz", "Bo Chen"]
        assert app.current_mode == "colleagues"
        await pilot.press("escape")  # with no filter, escape goes back as everywhere else
        await pilot.pause()
        assert app.current_mode == "today"


async def test_log_a_contact_with_one_key_resets_the_cadence(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")  # Ann, a supervisor: supervision is offered first
        await pilot.pause()
        assert isinstance(app.screen, LogContactDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ColleaguesScreen)
        latest = max(store.all(Contact), key=lambda c: c.when)
        assert (latest.kind, latest.when, latest.note) == ("supervision", NOW, "")
        assert names_shown(app) == ["Cy Diaz", "Ann Lee", "Bo Chen"]
        assert statuses_shown(app)[1] == "· on track"


async def test_the_kind_keys_are_a_binding_shown_in_the_hint_and_help(opened: Any, store: Store) -> None:
    from screens.help import describe_keys

    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LogContactDialog)
        hint = str(dialog.query_one(".people-hint", Static).render())
        assert hint.startswith("1-7 Kind   ^s Save")
        assert ("1-7", "Choose what kind of contact by its number") in describe_keys(dialog)
        assert [k for k, _ in describe_keys(dialog)].count("1-7") == 1  # one line, not seven
        await pilot.press("6")
        assert dialog.query_one("#log-kind", OptionList).highlighted == 5
        await pilot.press("tab")
        await type_text(pilot, "3 days ago")  # in a field the digits are typed, the kind stays
        await pilot.pause()
        assert dialog.query_one("#log-when", Input).value == "3 days ago"
        assert dialog.query_one("#log-kind", OptionList).highlighted == 5
        await pilot.press("enter")
        await pilot.pause()
    latest = max(store.all(Contact), key=lambda c: c.id or 0)
    assert (latest.kind, latest.when) == ("consultation", NOW.subtract(days=3))


async def test_log_a_contact_with_kind_time_and_note(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "l")  # Cy Diaz
        await pilot.press("2", "tab")  # a call
        await type_text(pilot, "tomorrow")
        await pilot.pause()
        read = app.screen.query_one("#log-when-read", Static)
        assert "has not happened yet" in str(read.render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LogContactDialog)  # refused, kindly
        assert "has not happened yet" in str(app.screen.query_one("#log-error", Static).render())
        app.screen.query_one("#log-when", Input).value = "yesterday 17:15"
        await pilot.pause()
        assert "Tue 24 Nov 17:15" in str(read.render())
        await pilot.press("tab")
        await type_text(pilot, "good talk [/]")
        await pilot.press("enter")
        await pilot.pause()
        cy_id = [c.id for c in store.all(Colleague) if c.name == "Cy Diaz"][0]
        [contact] = [c for c in store.all(Contact) if c.colleague_id == cy_id]
        assert contact.kind == "call"
        assert contact.when == pendulum.datetime(2026, 11, 24, 17, 15, tz="UTC")
        assert contact.note == "good talk [/]"
        assert "Cy Diaz" not in names_shown(app)[:1]


async def test_copy_a_message_shows_it_and_can_log_it(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TemplatePicker)
        await pilot.press("down", "enter")  # the second message offered to her
        await pilot.pause()
        second = FOR_A_SUPERVISOR[1]  # "Time for supervision" is offered first to a supervisor (issue 17)
        expected = fill_template(second.text, "Ann")  # the name she is called by
        assert app.clipboard == expected
        assert isinstance(app.screen, MessageDialog)
        assert app.screen.query_one("#message-text", TextArea).text == expected
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ColleaguesScreen)
        latest = max(store.all(Contact), key=lambda c: c.when)
        assert (latest.kind, latest.when, latest.note) == ("message", NOW, second.name)
        # The next time, the same message is offered first.
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 1


async def test_copy_without_logging(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        before = len(store.all(Contact))
        await pilot.press("m", "c")
        await pilot.pause()
        assert app.clipboard == fill_template(FOR_A_SUPERVISOR[0].text, "Ann")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ColleaguesScreen)
        assert len(store.all(Contact)) == before


async def test_write_edit_and_delete_a_message_of_ones_own(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "n")
        await pilot.pause()
        await type_text(pilot, "Lunch")
        await pilot.press("enter")  # on to the text
        editor_text = app.screen.query_one("#template-text", TextArea)
        editor_text.text = "Hey {name}, lunch on {day}? %s {0}"
        await pilot.pause()
        preview = str(app.screen.query_one("#template-preview", Static).render())
        assert preview == "Hey Ann, lunch on {day}? %s {0}"  # the name she is called by
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TemplatePicker)
        [mine] = store.all(MessageTemplate)
        assert (mine.name, mine.text) == ("Lunch", "Hey {name}, lunch on {day}? %s {0}")
        picker = app.screen
        assert picker.query_one(OptionList).highlighted == len(BUILTIN_TEMPLATES)
        assert "e Edit   d Delete" in str(picker.query_one(".people-hint", Static).render())  # one's own
        await pilot.press("up")
        await pilot.pause()  # a built-in message: its hint offers no edit or delete
        assert str(picker.query_one(".people-hint", Static).render()) == "c Copy   n New   esc Close"
        await pilot.press("down")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#template-text", TextArea).text = "Hi {name}, lunch?"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [t.text for t in store.all(MessageTemplate)] == ["Hi {name}, lunch?"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.clipboard == "Hi Ann, lunch?"
        await pilot.press("escape", "m")
        await pilot.pause()
        await pilot.press("d", "y")
        await pilot.pause()
        assert store.all(MessageTemplate) == []
        # Built-in messages cannot be edited or deleted.
        await pilot.press("home", "d", "e")
        await pilot.pause()
        assert isinstance(app.screen, TemplatePicker)


async def test_card_shows_history_newest_first_and_deletes_a_wrong_entry(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ColleagueCard)
        history = app.screen.query_one("#card-history", OptionList)
        rows = [str(history.get_option_at_index(i).prompt) for i in range(history.option_count)]
        assert rows[0].startswith("Mon 9 Nov 14:30") and "Supervision" in rows[0] and "case load" in rows[0]
        assert rows[1].startswith("Mon 26 Oct 14:30") and "Call" in rows[1]
        await pilot.press("x", "y")
        await pilot.pause()
        assert history.option_count == 1
        assert sorted(c.kind for c in store.all(Contact)) == ["call", "coffee"]
        # Ann's last contact is now the call 30 days ago: past her 21-day limit.
        assert str(app.screen.query_one("#card-status", Static).render()) == "! overdue"
        await pilot.press("l", "enter")  # log from the card
        await pilot.pause()
        assert history.option_count == 2
        assert str(app.screen.query_one("#card-status", Static).render()) == "· on track"
        await pilot.press("escape", "u")  # undo the deleted entry from the list
        await pilot.pause()
        assert sorted(c.kind for c in store.all(Contact)) == ["call", "coffee", "supervision", "supervision"]


async def test_the_card_offers_delete_entry_only_once_there_is_an_entry(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * names_shown(app).index("Cy Diaz"), "enter")  # nothing logged with Cy yet
        await pilot.pause()
        assert isinstance(app.screen, ColleagueCard) and "Cy Diaz" in screen_text(app)
        assert "Nothing logged yet" in screen_text(app)
        hint = str(app.screen.query_one("#card-hint", Static).render())
        assert "l Log contact" in hint and "esc Back" in hint and "Delete entry" not in hint
        await pilot.press("l", "enter")
        await pilot.pause()
        assert "x Delete entry" in str(app.screen.query_one("#card-hint", Static).render())


async def test_import_an_address_book_from_the_screen(opened: Any, store: Store, tmp_path: Path) -> None:
    cards = tmp_path / "phone.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL:+44 7700 900123\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hal Ito\r\nEMAIL:hal@example.org\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, str(tmp_path / "missing.vcf"))
        await pilot.press("enter")
        await pilot.pause()
        assert "There is no file" in str(app.screen.query_one("#prompt-error", Static).render())
        app.screen.query_one(Input).value = str(cards)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()  # read in a worker thread, whatever the size
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        text = str(app.screen.message)
        assert "Added 1 colleague from phone.vcf." in text
        assert "Skipped 1 already here: Ann Lee." in text
        await pilot.press("enter")
        await pilot.pause()
        assert "Hal Ito" in names_shown(app)
        assert len(store.all(Colleague)) == 4


async def test_hostile_names_and_notes_are_shown_as_text(opened: Any, store: Store) -> None:
    for index, text in enumerate(HOSTILE):
        store.add(Colleague(name=f"{index} {text}", notes=text, reach=[text], tags=[text]))
    app = opened(with_people=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(names_shown(app)) == len(HOSTILE)
        for _ in range(3):
            await pilot.press("enter")  # the card
            await pilot.pause()
            assert isinstance(app.screen, ColleagueCard)
            await pilot.press("m", "enter")  # the message dialog
            await pilot.pause()
            assert isinstance(app.screen, MessageDialog)
            assert "\x1b" not in (app.clipboard or "")
            await pilot.press("escape", "escape", "down")
            await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "[/]")
        await pilot.pause()
        shown = names_shown(app)
        assert shown and all("[/]" in name for name in shown)


async def test_a_card_undoes_only_its_own_persons_last_change(opened: Any, store: Store) -> None:
    app = opened()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "d", "y")  # Cy Diaz removed from the list
        await pilot.pause()
        assert "Cy Diaz" not in names_shown(app)
        await pilot.press("home", "enter")  # Ann's card
        await pilot.pause()
        card = app.screen
        assert isinstance(card, ColleagueCard)
        await pilot.press("u")  # the last change is about Cy: not Ann's card's to undo
        await pilot.pause()
        assert "Cy Diaz" not in [c.name for c in store.all(Colleague)]
        await pilot.press("x", "y")  # Ann's newest entry deleted here...
        await pilot.pause()
        assert sorted(c.kind for c in store.all(Contact) if c.colleague_id == card.colleague_id) == ["call"]
        await pilot.press("u")  # ...and brought back here
        await pilot.pause()
        assert sorted(c.kind for c in store.all(Contact) if c.colleague_id == card.colleague_id) == ["call", "supervision"]
        await pilot.press("escape", "u")  # the list undoes the rest: Cy comes back
        await pilot.pause()
        assert "Cy Diaz" in [c.name for c in store.all(Colleague)]
