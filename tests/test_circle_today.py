"""The circle on Today (issue 20): a check-in waiting shows, replies go through the real
folder, a member's hostile files never stop Tend, and an idle Today sends nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pendulum
import pytest
from textual.widgets import OptionList, Static

from app import circle as circles
from app.models import Colleague, Contact
from app.storage import Store
from app.tui import TendApp
from tests.circle_users import Person, circle_member, plant_circle  # noqa: F401  # the fixture
from tests.conftest import HOSTILE, wait_until
from tests.notices import Notices
from tests.screentext import screenshot_lines

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def frozen_time():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


def checkin(text: str, to: str = "root") -> dict[str, object]:
    return {"v": 1, "kind": "checkin", "to": to, "text": text}


def stamp(minutes_ago: int, n: int = 1) -> str:
    at = NOW.subtract(minutes=minutes_ago)
    return f"checkin-{at.format('YYYYMMDD[T]HHmmss')}-{n:08x}.json"


def joined_app(data: Path, circle: Path, member: Person, *, linked: bool = True) -> TendApp:
    store = Store.open(data)
    store.update_settings(welcomed=True, circle_dir=str(circle), circle_share_checkins=True)
    if linked:
        store.add(Colleague(name="Dana Reyes", role="peer", circle_user=member.name, created=NOW.subtract(days=3)))
    return TendApp(store, start_mode="today")


def test_today_with_a_checkin_waiting(snap_compare, tmp_path: Path, circle_member: Person, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path))
    circle = plant_circle(
        tmp_path, circle_member, {stamp(12): checkin("Rough one this morning? I am free at 3 if you want to talk.")},
        when=NOW.subtract(minutes=12).timestamp(),
    )  # fmt: skip
    assert snap_compare(joined_app(tmp_path / "data", circle, circle_member), terminal_size=SIZE)


async def test_a_checkin_shows_and_marking_it_seen_takes_it_off(tmp_path: Path, circle_member: Person) -> None:
    status = {"v": 1, "kind": "status", "text": "free for a debrief", "until": NOW.add(minutes=30).isoformat()}
    files = {stamp(5): checkin("Tea later?"), "status.json": status}
    circle = plant_circle(tmp_path, circle_member, files, when=NOW.subtract(minutes=5).timestamp())
    app = joined_app(tmp_path / "data", circle, circle_member)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("Dana Reyes checked in: Tea later?" in line for line in screenshot_lines(app))
        assert any("Dana Reyes: free for a debrief (until 15:00)" in line for line in screenshot_lines(app))
        await pilot.press("i")
        assert isinstance(app.focused, OptionList) and app.focused.id == "today-circle"
        await pilot.press("v")
        await pilot.pause()
        assert not any("checked in" in line for line in screenshot_lines(app))
        assert circles.waiting_for(app.store) == 0
        assert app.store.settings().circle_seen == [f"{circle_member.name}/{stamp(5).removesuffix('.json')}"]


async def test_a_reply_goes_to_the_senders_folder_and_logs_a_contact(tmp_path: Path, circle_member: Person) -> None:
    circle = plant_circle(tmp_path, circle_member, {stamp(5): checkin("Tea later?")}, when=NOW.subtract(minutes=5).timestamp())
    os.mkdir(circle / "root", 0o2750)  # this process joined too (root)
    app = joined_app(tmp_path / "data", circle, circle_member)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i", "enter")
        await pilot.pause()
        await pilot.press("c")  # the template picker: send the highlighted one
        await pilot.pause()
        sent = [name for name in os.listdir(circle / "root") if name.startswith("checkin-")]
        assert len(sent) == 1
        body = json.loads((circle / "root" / sent[0]).read_text())
        assert body["to"] == circle_member.name and "Dana" in body["text"]
        [dana] = app.store.all(Colleague)
        assert [c.note for c in app.store.find(Contact, colleague_id=dana.id)] == ["circle check-in"]
        assert not any("checked in" in line for line in screenshot_lines(app))  # replied: seen


async def test_a_members_hostile_files_never_stop_today(tmp_path: Path, circle_member: Person) -> None:
    files: dict[str, object] = {stamp(30 + n, 100 + n): checkin(text) for n, text in enumerate(HOSTILE)}
    files[stamp(1, 1)] = checkin("plain words", to="root") | {"from": "root", "sender": "someone-else"}
    files[stamp(2, 2)] = b"{not json"
    circle = plant_circle(tmp_path, circle_member, files, when=NOW.subtract(minutes=3).timestamp())
    folder = circle / circle_member.name
    os.symlink("/etc/hostname", folder / stamp(3, 3))
    os.mkfifo(folder / stamp(4, 4))
    with open(folder / stamp(6, 6), "wb") as handle:
        handle.truncate(10 * 2**30)
    for name in (stamp(3, 3), stamp(4, 4), stamp(6, 6)):
        os.chown(folder / name, circle_member.uid, 0, follow_symlinks=False)
    notices = Notices()
    app = joined_app(tmp_path / "data", circle, circle_member, linked=False)
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await pilot.pause()
        screen = "\n".join(screenshot_lines(app))
        assert f"{circle_member.name} checked in: plain words" in screen  # the owner, not the claim
        assert "Skipped 4 file(s)" in screen
        assert "\x1b" not in screen and "\u202e" not in screen
        await pilot.press("i", "down", "down", "v")
        await pilot.pause()
        assert app.is_running
    view = circles.read_circle(circle, now=NOW)
    assert sorted(p.split(" ", 1)[1] for p in view.problems) == sorted([
        "is a link; skipped.", "is not an ordinary file; skipped.",
        "is too big (10,737,418,240 bytes); skipped.", "is not a message Tend can read; skipped.",
    ])  # fmt: skip


async def test_an_idle_today_redraws_nothing_and_a_new_checkin_shows_at_the_next_look(tmp_path: Path, circle_member: Person) -> None:
    circle = plant_circle(tmp_path, circle_member, {stamp(5): checkin("First")}, when=NOW.subtract(minutes=5).timestamp())
    app = joined_app(tmp_path / "data", circle, circle_member)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.screen.query_one("#today-circle-section")
        note = app.screen.query_one("#today-circle-note", Static)
        listing = app.screen.query_one("#today-circle", OptionList)
        before = (note.content, listing.get_option_at_index(0).prompt)
        for _ in range(3):
            widget.poll()  # type: ignore[attr-defined]  # CircleToday.poll, as its timer calls it
        await pilot.pause()
        assert (note.content, listing.get_option_at_index(0).prompt) == before
        assert before[1] is listing.get_option_at_index(0).prompt  # not even rebuilt

        folder = circle / circle_member.name
        path = folder / stamp(1, 2)
        path.write_text(json.dumps(checkin("Second")))
        os.chown(path, circle_member.uid, 0)
        os.utime(path, (NOW.subtract(minutes=1).timestamp(),) * 2)
        os.utime(folder)  # the folder's time moves, as a rename into it does
        widget.poll()  # type: ignore[attr-defined]  # the timer's look
        await pilot.pause()
        assert any("Dana Reyes checked in: Second" in line for line in screenshot_lines(app))


async def test_o_opens_the_senders_colleague_card(tmp_path: Path, circle_member: Person) -> None:
    from screens.colleagues import ColleagueCard

    circle = plant_circle(tmp_path, circle_member, {stamp(5): checkin("Tea later?")}, when=NOW.subtract(minutes=5).timestamp())
    app = joined_app(tmp_path / "data", circle, circle_member)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i", "o")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ColleagueCard))
        assert "Dana Reyes" in str(app.screen.query_one("#card-name", Static).render())


async def test_a_answers_in_a_few_lines_of_ones_own(tmp_path: Path, circle_member: Person) -> None:
    circle = plant_circle(tmp_path, circle_member, {stamp(5): checkin("Tea later?")}, when=NOW.subtract(minutes=5).timestamp())
    os.mkdir(circle / "root", 0o2750)
    app = joined_app(tmp_path / "data", circle, circle_member)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i", "a")
        await pilot.pause()
        await pilot.press(*"Yes, 3pm", "enter")
        await pilot.pause()
        [sent] = os.listdir(circle / "root")
        assert json.loads((circle / "root" / sent).read_text())["text"] == "Yes, 3pm"
        assert len(app.store.all(Contact)) == 1
