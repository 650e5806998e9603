"""Issue 17 on the screens, driven with keys as a person would: overdue first, the list keys,
a Role list that opens readable, Called, templates by fit, reach out now, snooze, archive,
dated notes, dates to remember, and what to fix beside its field with no toast over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest
from textual.widgets import DataTable, Input, Static

from app.models import Colleague, Contact, MessageTemplate
from app.storage import Store
from screens.colleagues import ColleagueCard, ColleagueForm, TemplateEditor, TemplatePicker
from screens.dialogs import TextPrompt
from tests.screentext import screenshot_lines

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
SIZE = (80, 24)
LONG_AGO = NOW.subtract(years=1)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> pendulum.DateTime:
    monkeypatch.setattr(pendulum, "now", lambda tz=None: NOW.in_timezone(tz) if tz else NOW)
    monkeypatch.setattr(pendulum, "today", lambda tz=None: NOW.start_of("day"))
    return NOW


def names(app: Any) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)] if table.display else []


def statuses(app: Any) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def type_text(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


def overdue_and_due(store: Store) -> None:
    mo = store.add(Colleague(name="Mo", ideal_days=30, limit_days=31, created=LONG_AGO))
    ann = store.add(Colleague(name="Ann", ideal_days=7, created=LONG_AGO))
    store.add(Contact(colleague_id=mo.id or 0, when=NOW.subtract(days=33)))
    store.add(Contact(colleague_id=ann.id or 0, when=NOW.subtract(days=14)))


async def test_overdue_rows_sort_before_due_rows(make_app: Callable[..., Any], store: Store, clock: Any) -> None:
    overdue_and_due(store)
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert names(app) == ["Mo", "Ann"]
        assert statuses(app) == ["! overdue", "» due"]


async def test_home_end_and_page_keys_move_the_cursor(make_app: Callable[..., Any], store: Store, clock: Any) -> None:
    for n in range(40):
        store.add(Colleague(name=f"Person {n:02}", created=LONG_AGO))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 39
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_row > 5
        await pilot.press("pageup")
        await pilot.pause()
        assert table.cursor_row == 0


async def test_the_role_list_opens_with_every_role_readable(make_app: Callable[..., Any], store: Store, clock: Any) -> None:
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#form-role").focus()
        await pilot.press("enter")
        await pilot.pause()
        shown = "\n".join(screenshot_lines(app))
        for label in ("Peer", "Supervisor", "Mentor", "Team", "Consultation group", "Other"):
            assert label in shown


async def test_the_form_says_the_cadence_in_words_and_keeps_called(make_app: Callable[..., Any], store: Store, clock: Any) -> None:
    amara = store.add(Colleague(name="Dr. Amara Okonkwo-Fitzgerald", role="supervisor", ideal_days=14, limit_days=28))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ColleagueForm)
        called = form.query_one("#form-called", Input)
        assert called.value == "" and called.placeholder.startswith("Amara")
        words = str(form.query_one("#form-cadence-words", Static).render())
        assert words == "Keep in touch every 2 weeks; it starts to matter after 4."
        form.query_one("#form-ideal", Input).value = "10"
        await pilot.pause()
        assert "every 10 days; it starts to matter after 28" in str(form.query_one("#form-cadence-words", Static).render())
        await pilot.press("ctrl+s")  # Called left empty: the derived name stays
        await pilot.pause()
        assert store.get(Colleague, amara.id or 0).call_name == ""  # type: ignore[union-attr]
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#form-called", Input).value = "Mara"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.get(Colleague, amara.id or 0).call_name == "Mara"  # type: ignore[union-attr]


async def test_templates_are_offered_by_fit_and_the_editor_keeps_fits(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    store.add(Colleague(name="Ann Lee", role="supervisor", created=LONG_AGO))
    store.add(Colleague(name="Crisis Line Team", role="team", created=LONG_AGO))
    own = store.add(MessageTemplate(name="Case review", text="Hi {name}, a case review soon?", fits=["supervisor"]))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert names(app) == ["Ann Lee", "Crisis Line Team"]
        await pilot.press("m")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TemplatePicker)
        offered = [t.name for t in picker.templates]
        assert offered[:2] == ["Time for supervision", "Case review"]
        await pilot.press("down", "e")  # edit "Case review"
        await pilot.pause()
        assert isinstance(app.screen, TemplateEditor)
        app.screen.query_one("#template-name", Input).value = "A case review"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = store.get(MessageTemplate, own.id or 0)
        assert saved is not None and saved.name == "A case review" and saved.fits == ["supervisor"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "m")  # the team
        await pilot.pause()
        offered = [t.name for t in app.screen.templates]
        assert "Time for supervision" not in offered and "A case review" not in offered


async def test_w_reaches_out_now_to_someone_new(make_app: Callable[..., Any], store: Store, clock: Any) -> None:
    jo = store.add(Colleague(name="Jo", ideal_days=14))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert statuses(app) == ["+ new"]
        await pilot.press("w")
        await pilot.pause()
        assert statuses(app) == ["» due"]
        assert store.get(Colleague, jo.id or 0).want_to_reach_now  # type: ignore[union-attr]
        await pilot.press("t")
        await pilot.pause()
        assert "Jo" in "\n".join(screenshot_lines(app))


async def test_snooze_and_archive_by_key_and_bring_back(make_app: Callable[..., Any], store: Store, clock: Any) -> None:
    overdue_and_due(store)
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("z")  # Mo
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await type_text(pilot, "yesterday")
        await pilot.press("enter")
        await pilot.pause()
        assert "A day, please" in str(app.screen.query_one("#prompt-error", Static).render())  # beside the field
        app.screen.query_one(Input).value = "2 weeks"
        await pilot.press("enter")
        await pilot.pause()
        assert names(app) == ["Ann", "Mo"] and statuses(app) == ["» due", "z snoozed"]
        mo = next(c for c in store.all(Colleague) if c.name == "Mo")
        assert mo.snoozed_until == pendulum.date(2026, 12, 9)
        await pilot.press("t")
        await pilot.pause()
        today = "\n".join(screenshot_lines(app))
        assert "Ann" in today and "Mo " not in today
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("home", "A")  # archive Ann
        await pilot.pause()
        assert names(app) == ["Mo"]
        assert "1 archived" in str(app.screen.query_one("#people-summary", Static).render())
        await pilot.press("v")
        await pilot.pause()
        assert names(app) == ["Mo", "Ann"] and statuses(app)[1] == "- archived"
        assert len(store.all(Contact)) == 2  # the history stays
        await pilot.press("end", "A")  # bring Ann back
        await pilot.pause()
        assert names(app) == ["Ann", "Mo"]
        await pilot.press("end", "z")  # wake Mo
        await pilot.pause()
        assert statuses(app) == ["! overdue", "» due"]


async def test_the_card_keeps_dated_notes_and_shows_dates_to_remember(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    store.add(Colleague(name="Jo Lee", created=LONG_AGO, birthday=pendulum.date(1904, 11, 28)))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ColleagueCard)
        await pilot.press("n")
        await pilot.pause()
        assert "client details never belong here" in "\n".join(screenshot_lines(app))
        await type_text(pilot, "back from leave on the 12th")
        await pilot.press("enter")
        await pilot.pause()
        details = str(app.screen.query_one("#card-details", Static).render())
        assert "25 Nov 2026  back from leave on the 12th" in details
        assert "birthday 28 Nov" in details
        await pilot.press("escape", "t")
        await pilot.pause()
        assert "Jo Lee: birthday in 3 days (Sat 28 Nov)" in "\n".join(screenshot_lines(app))


async def test_the_form_takes_dates_to_remember_and_says_what_to_fix_beside_them(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-name", Input).value = "Ngozi"
        form.query_one("#form-birthday", Input).value = "31 Feb"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ColleagueForm)
        error = form.query_one("#form-dates-error", Static)
        assert error.display and "no such day" in str(error.render())
        form.query_one("#form-birthday", Input).value = "29 Feb"
        form.query_one("#form-joined", Input).value = "2023-09-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [ngozi] = store.all(Colleague)
        assert (ngozi.birthday, ngozi.joined) == (pendulum.date(1904, 2, 29), pendulum.date(2023, 9, 1))


async def test_a_notification_over_a_dialog_never_covers_its_text(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    app = make_app("colleagues")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        before = screenshot_lines(app)
        assert any("A name, please" in line for line in before)
        app.notify("Saved someone somewhere, in a long sentence that goes on.", title="Saved", markup=False)
        for _ in range(5):
            await pilot.pause()
        after = screenshot_lines(app)
        assert after[:-1] == before[:-1]  # every row of the dialog as it was
        assert "Saved: Saved someone somewhere" in after[-1]  # the footer's row, title folded in


async def test_the_card_reaches_out_snoozes_and_archives_by_the_same_keys(
    make_app: Callable[..., Any], store: Store, clock: Any
) -> None:
    jo = store.add(Colleague(name="Jo Lee", ideal_days=14))  # new
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, ColleagueCard)
        status = card.query_one("#card-status", Static)
        assert str(status.render()) == "+ new"
        await pilot.press("w")
        await pilot.pause()
        assert str(status.render()) == "» due"
        await pilot.press("z")
        await pilot.pause()
        app.screen.query_one(Input).value = "12 Dec"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is card and str(status.render()) == "z snoozed"
        assert "Snoozed until Sat 12 Dec" in str(card.query_one("#card-details", Static).render())
        await pilot.press("A")
        await pilot.pause()
        assert str(status.render()) == "- archived"
        await pilot.press("A")
        await pilot.pause()
        saved = store.get(Colleague, jo.id or 0)
        assert saved is not None and not saved.archived and saved.snoozed_until is None  # back, awake
        assert str(status.render()) == "» due"
