"""The circle without the command line (issue 20): link a colleague to a member from their
form, send a check-in through the circle from the message dialog, share a status and ask for
a debrief from Today, and the reply picker on Today says it sends."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pendulum
import pytest
from textual.widgets import Input, Static

from app import circle as circles
from app.models import Colleague, Contact, Ritual, RitualEntry
from app.storage import Store
from app.tui import TendApp
from screens.colleagues import ColleagueForm, MessageDialog
from tests.circle_users import Person, circle_member, plant_circle  # noqa: F401  # the fixture
from tests.notices import Notices
from tests.screentext import screenshot_lines

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def frozen_time():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def in_circle(tmp_path: Path, member: Person) -> Path:
    """A circle holding ``member``'s folder, joined by this process (root) too."""
    circle = plant_circle(tmp_path, member, {}, when=NOW.subtract(minutes=5).timestamp())
    os.mkdir(circle / "root", 0o2750)
    return circle


def app_on(data: Path, mode: str, *, circle: Path | None = None, **settings: bool) -> tuple[TendApp, Store]:
    store = Store.open(data)
    store.update_settings(welcomed=True, circle_dir=str(circle) if circle else "", **settings)
    return TendApp(store, start_mode=mode), store


def mine(circle: Path, kind: str) -> list[dict[str, object]]:
    folder = circle / "root"
    return [json.loads((folder / name).read_text()) for name in sorted(os.listdir(folder)) if name.startswith(kind)]


def hints(app: TendApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(".people-hint"))


# -- 1. the colleague form's Circle user ------------------------------------------------------


async def test_the_form_has_no_circle_field_outside_a_circle(tmp_path: Path) -> None:
    app, store = app_on(tmp_path / "data", "colleagues")
    store.add(Colleague(name="Dana Reyes"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ColleagueForm)
        assert not app.screen.query_one("#form-circle-row").display
        assert not any("Circle user" in line for line in screenshot_lines(app))


async def test_the_form_links_a_colleague_to_a_member_and_refuses_anyone_else_plainly(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, store = app_on(tmp_path / "data", "colleagues", circle=circle)
    store.add(Colleague(name="Dana Reyes"))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ColleagueForm) and form.query_one("#form-circle-row").display
        field = form.query_one("#form-circle", Input)
        error = form.query_one("#form-circle-error", Static)
        for typed, said in (("nobody-here-x9", "There is no user called nobody-here-x9 on this server."),
                            ("daemon", "daemon has not joined the circle yet")):  # fmt: skip
            field.value = typed
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form and error.display and said in str(error.render())
            assert app.focused is field
            assert Store.open(tmp_path / "data").all(Colleague)[0].circle_user == ""  # nothing saved
        field.value = circle_member.name
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert Store.open(tmp_path / "data").all(Colleague)[0].circle_user == circle_member.name
        await pilot.press("e")  # and unlinking: an empty field
        await pilot.pause()
        app.screen.query_one("#form-circle", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Store.open(tmp_path / "data").all(Colleague)[0].circle_user == ""


# -- 2. the message dialog sends through the circle ----------------------------------------------


async def test_s_in_the_message_dialog_sends_through_the_circle_logs_and_ticks(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, store = app_on(tmp_path / "data", "colleagues", circle=circle, circle_share_checkins=True)
    dana = store.add(Colleague(name="Dana Reyes", role="peer", circle_user=circle_member.name))
    ritual = store.add(Ritual(name="Check in with Dana", colleague_ids=[dana.id or 0], contact_kind="message"))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press("m", "c")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        assert f"s Send in the circle to {circle_member.name}" in hints(app)
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, MessageDialog)
        [sent] = mine(circle, "checkin-")
        assert sent["to"] == circle_member.name and sent["text"] == app.clipboard
        [contact] = Store.open(tmp_path / "data").all(Contact)
        assert (contact.colleague_id, contact.kind) == (dana.id, "message")
        assert [e.status for e in Store.open(tmp_path / "data").find(RitualEntry, ritual_id=ritual.id)] == ["done"]
        assert notices.said("Sent to Dana Reyes through the circle")
    # what Dana's Tend reads: the check-in, from this process's user
    view = circles.read_circle(circle, now=NOW, who=circle_member.name)
    assert [(m.sender, m.text) for m in view.checkins] == [("root", sent["text"])]


async def test_with_check_ins_off_s_says_how_to_turn_them_on_and_sends_nothing(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, store = app_on(tmp_path / "data", "colleagues", circle=circle)
    store.add(Colleague(name="Dana Reyes", circle_user=circle_member.name))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press("m", "c")
        await pilot.pause()
        assert "tend circle share checkins on" in hints(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)  # still open, the message still there
        assert notices.said("Sending check-ins is off. tend circle share checkins on turns it on.")
        assert mine(circle, "checkin-") == [] and Store.open(tmp_path / "data").all(Contact) == []


async def test_a_colleague_not_linked_gets_no_circle_key(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, store = app_on(tmp_path / "data", "colleagues", circle=circle, circle_share_checkins=True)
    store.add(Colleague(name="Dana Reyes"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "c")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        assert "circle" not in hints(app)
        assert all(b.binding.action != "circle_send" for b in app.screen.active_bindings.values())
        await pilot.press("s")
        await pilot.pause()
        assert mine(circle, "checkin-") == []
        assert isinstance(app.screen, MessageDialog) and app.current_mode == "colleagues"  # s went nowhere else


async def test_todays_m_sends_through_the_circle_too(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, store = app_on(tmp_path / "data", "today", circle=circle, circle_share_checkins=True)
    store.add(Colleague(name="Dana Reyes", circle_user=circle_member.name, want_to_reach_now=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "c", "s")
        await pilot.pause()
        assert len(mine(circle, "checkin-")) == 1
        assert [c.kind for c in Store.open(tmp_path / "data").all(Contact)] == ["message"]


# -- 3. my status and "could use a debrief" from Today --------------------------------------------


async def test_f_on_today_shares_a_status_with_an_end(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, _ = app_on(tmp_path / "data", "today", circle=circle, circle_share_status=True)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        assert any("f status" in line and "g debrief?" in line for line in screenshot_lines(app))
        await pilot.press("f", *"on a break until 14:00", "enter")
        await pilot.pause()
        assert "14:00 has already passed today" in str(app.screen.query_one("#prompt-error", Static).render())
        assert not (circle / "root" / "status.json").exists()
        field = app.screen.query_one("#prompt-input", Input)
        field.value = "free for a debrief until 15:00"
        await pilot.press("enter")
        await pilot.pause()
        assert notices.said("Shared until 15:00")
    status = circles.read_circle(circle, now=NOW, who=circle_member.name).statuses["root"]
    assert (status.text, status.until) == ("free for a debrief", NOW.add(minutes=30))


async def test_a_status_without_until_lasts_the_day(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, _ = app_on(tmp_path / "data", "today", circle=circle, circle_share_status=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", *"heads down today", "enter")
        await pilot.pause()
    status = circles.read_circle(circle, now=NOW, who=circle_member.name).statuses["root"]
    assert (status.text, status.until) == ("heads down today", NOW.end_of("day"))


async def test_g_on_today_asks_the_whole_circle(tmp_path: Path, circle_member: Person) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, _ = app_on(tmp_path / "data", "today", circle=circle, circle_share_asks=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")
        await pilot.pause()
        [ask] = mine(circle, "ask-")
        assert (ask["to"], ask["text"]) == ([], "Could use a debrief.")
        assert any("You asked for a debrief: nobody has answered yet." in line for line in screenshot_lines(app))
    view = circles.read_circle(circle, now=NOW, who=circle_member.name)
    assert [(a.sender, a.text) for a in view.waiting()] == [("root", "Could use a debrief.")]


@pytest.mark.parametrize(
    ("key", "said"),
    [("f", "Sharing your status is off. tend circle share status on turns it on."),
     ("g", "Asking for a debrief is off. tend circle share asks on turns it on.")],
)  # fmt: skip
async def test_sharing_off_is_refused_with_the_command_that_turns_it_on(
    tmp_path: Path, circle_member: Person, key: str, said: str
) -> None:
    circle = in_circle(tmp_path, circle_member)
    app, _ = app_on(tmp_path / "data", "today", circle=circle)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert app.screen.id is None or "prompt" not in str(app.screen.id)
        assert notices.said(said)
        assert os.listdir(circle / "root") == []


async def test_f_and_g_do_nothing_outside_a_circle(tmp_path: Path) -> None:
    app, _ = app_on(tmp_path / "data", "today")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        active = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not {"circle_status", "circle_ask"} & active


# -- 4. the reply picker says Send ----------------------------------------------------------------


async def test_replying_from_today_the_picker_says_send(tmp_path: Path, circle_member: Person) -> None:
    from screens.colleagues import TemplatePicker

    stamp = f"checkin-{NOW.subtract(minutes=5).format('YYYYMMDD[T]HHmmss')}-00000001.json"
    circle = plant_circle(tmp_path, circle_member, {stamp: {"v": 1, "kind": "checkin", "to": "root", "text": "Tea?"}},
                          when=NOW.subtract(minutes=5).timestamp())  # fmt: skip
    app, _ = app_on(tmp_path / "data", "today", circle=circle, circle_share_checkins=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TemplatePicker)
        assert "c Send" in hints(app) and "Copy" not in hints(app)
        assert any("c Send" in line for line in screenshot_lines(app))  # the footer too


@pytest.mark.parametrize(
    ("typed", "words", "end"),
    [("free for a debrief until 15:00", "free for a debrief", NOW.add(minutes=30)),
     ("On a break UNTIL 45m", "On a break", NOW.add(minutes=45)),
     ("heads down today", "heads down today", None)],
)  # fmt: skip
def test_a_status_line_reads_its_end_as_tend_circle_status_reads_until(typed: str, words: str, end: object) -> None:
    assert circles.read_status_words(typed, NOW) == (words, end)


@pytest.mark.parametrize(("typed", "said"), [("until 15:00", "a few words before 'until'"), ("free until soon", "could not read 'soon'"), ("", "a few words")])
def test_a_status_line_that_cannot_be_read_says_why(typed: str, said: str) -> None:
    with pytest.raises(circles.CircleError, match=said):
        circles.read_status_words(typed, NOW)
