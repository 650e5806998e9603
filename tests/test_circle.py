"""The circle's rules in one process (issue 20): unsafe folders refused with the reason,
statuses that end by themselves, expiry, the daily bound, what is waiting, the card's line.
The real-user proof is in test_circle_users.py."""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from app import circle as circles
from app.cli import main
from app.models import Colleague, Contact, Ritual, RitualEntry
from app.storage import Store

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


@pytest.fixture(autouse=True)
def frozen_time():  # type: ignore[no-untyped-def]
    pendulum.travel_to(NOW, freeze=True)
    yield
    pendulum.travel_back()


@pytest.fixture
def circle(tmp_path: Path) -> Path:
    """A circle of this process's own group, joined by this process."""
    path = tmp_path / "circle"
    path.mkdir()
    os.chmod(path, 0o3770)
    circles.join_circle(path)
    return path


@pytest.mark.parametrize(
    ("mode", "reason"),
    [(0o3777, "can be written by anyone"), (0o3774, "can be read by anyone"), (0o3771, "can be read by anyone"),
     (0o2770, "is not sticky")],
)  # fmt: skip
def test_an_unsafe_circle_folder_is_refused_with_the_reason(circle: Path, mode: int, reason: str) -> None:
    os.chmod(circle, mode)
    with pytest.raises(circles.CircleError, match=reason):
        circles.check_circle(circle)
    with pytest.raises(circles.CircleError, match=reason):
        circles.read_circle(circle)
    assert circles.waiting_count(circle) == 0  # tend status stays quiet


def test_a_link_to_a_circle_is_refused(circle: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(circle)
    with pytest.raises(circles.CircleError, match="symbolic link"):
        circles.join_circle(link)


@pytest.fixture
def reachable(tmp_path: Path) -> Iterator[Path]:
    """A folder under /tmp that others may pass through (pytest's own tmp_path is 0700)."""
    base = Path(tempfile.mkdtemp(prefix="tend-circle-", dir="/tmp"))
    os.chmod(base, 0o711)
    yield base
    shutil.rmtree(base)


def test_create_makes_a_3770_folder_with_a_readme_and_never_reuses_one(reachable: Path) -> None:
    group = grp.getgrgid(os.getegid()).gr_name
    said = circles.create_circle(reachable / "c", group)
    assert "tend circle join" in said
    assert oct((reachable / "c").stat().st_mode & 0o7777) == oct(0o3770)
    assert "only they write" in (reachable / "c" / "README").read_text()
    with pytest.raises(circles.CircleError, match="already there"):
        circles.create_circle(reachable / "c", group)
    with pytest.raises(circles.CircleError, match="no group called"):
        circles.create_circle(reachable / "d", "no-such-group-here")


def test_a_circle_its_members_could_not_reach_is_not_made(reachable: Path) -> None:
    """Behind a folder only its owner may pass through (a private home, Tend's own data
    folder), every member told 'join with ...' would have been refused."""
    group = grp.getgrgid(os.getegid()).gr_name
    private = reachable / "home"
    private.mkdir(mode=0o700)
    with pytest.raises(circles.CircleError) as refused:
        circles.create_circle(private / "circle", group)
    assert f"{private} lets only its owner pass through" in str(refused.value)
    assert list(private.iterdir()) == []
    os.chmod(private, 0o750)  # the folder's group may pass, but it is not this group's
    os.chown(private, -1, 0 if os.getegid() != 0 else 1)
    with pytest.raises(circles.CircleError, match="lets only its owner"):
        circles.create_circle(private / "circle", group)
    os.chmod(private, 0o711)
    assert "tend circle join" in circles.create_circle(private / "circle", group)


def test_a_status_disappears_by_itself_when_it_ends(circle: Path) -> None:
    end = circles.set_status(circle, "free for a debrief", NOW.add(minutes=30), now=NOW)
    assert end == NOW.add(minutes=30)
    mine = circles.me()
    assert circles.read_circle(circle, now=NOW.add(minutes=29)).statuses[mine].text == "free for a debrief"
    assert circles.read_circle(circle, now=NOW.add(minutes=31)).statuses == {}
    circles.prune_own(circle, now=NOW.add(minutes=31))
    assert not (circle / mine / "status.json").exists()
    with pytest.raises(circles.CircleError, match="already passed"):
        circles.set_status(circle, "on a break", NOW.subtract(minutes=1), now=NOW)


def test_a_status_without_an_end_lasts_until_the_end_of_the_day(circle: Path) -> None:
    assert circles.set_status(circle, "heads down today", now=NOW) == NOW.end_of("day")


def test_messages_expire_after_the_set_days_and_ones_own_are_pruned(circle: Path) -> None:
    ask = circles.send_ask(circle, "could use a debrief", now=NOW)
    path = circle / circles.me() / f"{ask}.json"
    old = NOW.subtract(days=15).timestamp()
    os.utime(path, (old, old))
    assert circles.read_circle(circle, now=NOW).asks == []
    assert [a.id for a in circles.read_circle(circle, now=NOW, expiry_days=30).asks] == [ask]
    assert circles.prune_own(circle, now=NOW) == 1
    assert not path.exists()


def test_a_member_sends_at_most_so_many_a_day(circle: Path) -> None:
    for _ in range(circles.MESSAGES_PER_DAY):
        circles.send_ask(circle, now=NOW)
    with pytest.raises(circles.CircleError, match="the most a day"):
        circles.send_ask(circle, now=NOW)
    circles.send_ask(circle, now=NOW.add(days=1))  # tomorrow there is room again


def test_files_are_private_to_the_group_whatever_the_umask(circle: Path) -> None:
    old = os.umask(0o000)
    try:
        ask = circles.send_ask(circle, now=NOW)
    finally:
        os.umask(old)
    assert (circle / circles.me() / f"{ask}.json").stat().st_mode & 0o777 == 0o640
    assert (circle / circles.me()).stat().st_mode & 0o7777 == 0o2750


def test_a_folder_named_for_someone_else_is_skipped(circle: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("planting a folder owned by another user needs root")
    (circle / "daemon").mkdir()  # owned by root, named for another user
    view = circles.read_circle(circle, now=NOW)
    assert "daemon" not in view.members
    assert any("belongs to root" in problem for problem in view.problems)


def test_send_from_the_command_line_logs_a_contact_with_the_linked_colleague(circle: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() != 0:
        pytest.skip("a second member's folder needs root to plant")
    daemon = pwd.getpwnam("daemon")
    (circle / "daemon").mkdir()
    os.chown(circle / "daemon", daemon.pw_uid, os.getegid())
    data = str(tmp_path / "data")
    store = Store.open(Path(data))
    dana = store.add(Colleague(name="Dana Reyes"))
    check_in = store.add(Ritual(name="Check in with Dana", colleague_ids=[dana.id or 0], contact_kind="message"))
    assert main(["circle", "join", str(circle), "--data", data]) == 0
    refused = main(["circle", "send", "daemon", "hello", "--data", data])
    assert refused == 2 and "tend circle share checkins on" in capsys.readouterr().err
    assert main(["circle", "share", "checkins", "on", "--data", data]) == 0
    assert main(["circle", "link", "daemon", "dana reyes", "--data", data]) == 0
    assert main(["circle", "send", "daemon", "hello", "--data", data]) == 0
    assert "Logged as a contact with Dana Reyes" in capsys.readouterr().out
    store = Store.open(Path(data))
    assert [c.note for c in store.all(Contact)] == ["circle check-in"]
    # ... and ticks the ritual linked to Dana whose kind is a message, as the colleagues screen does.
    assert [(e.ritual_id, e.day, e.status) for e in store.all(RitualEntry)] == [(check_in.id, NOW.date(), "done")]
    assert main(["circle", "send", "nobody-here", "hello", "--data", data]) == 2
    assert "not in this circle" in capsys.readouterr().err


def test_waiting_counts_checkins_and_open_asks_not_yet_seen(circle: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() != 0:
        pytest.skip("a second member's files need root to plant")
    daemon = pwd.getpwnam("daemon")
    folder = circle / "daemon"
    folder.mkdir()
    for name, body in (
        ("checkin-20261125T140000-00000001.json", '{"kind": "checkin", "to": "root", "text": "hi"}'),
        ("ask-20261125T140100-00000002.json", '{"kind": "ask", "to": [], "text": "debrief?"}'),
        ("ask-20261125T140200-00000003.json", '{"kind": "ask", "to": ["someone-else"], "text": "not for me"}'),
    ):
        (folder / name).write_text(body)
        os.chown(folder / name, daemon.pw_uid, -1)
        os.utime(folder / name, (NOW.timestamp(), NOW.timestamp()))
    os.chown(folder, daemon.pw_uid, -1)
    assert circles.waiting_count(circle) == 2
    assert circles.waiting_count(circle, {"daemon/checkin-20261125T140000-00000001"}) == 1
    assert circles.waiting_count(None) == 0
    store = Store.open(tmp_path / "data")
    store.update_settings(circle_dir=str(circle))
    circles.mark_seen(store, ["daemon/ask-20261125T140100-00000002"])
    assert circles.waiting_for(store) == 1
    # tend status says so, on its line and in its JSON.
    assert main(["status", "--data", str(tmp_path / "data")]) == 0
    assert "1 check-in" in capsys.readouterr().out
    assert main(["status", "--json", "--data", str(tmp_path / "data")]) == 0
    assert json.loads(capsys.readouterr().out)["waiting"] == ["1 check-in"]
    # The first to answer takes the ask; a second answer is refused.
    circles.answer_ask(circle, "daemon", "ask-20261125T140100-00000002", now=NOW)
    [ask] = [a for a in circles.read_circle(circle).asks if a.sender == "daemon"]
    assert ask.taken_by == "root"
    with pytest.raises(circles.CircleError, match="already taken"):
        circles.answer_ask(circle, "daemon", "ask-20261125T140100-00000002", now=NOW)


async def test_a_linked_colleagues_card_shows_their_status_while_it_lasts(circle: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    app = make_app("colleagues")
    app.store.add(Colleague(name="Dana Reyes", circle_user=circles.me()))
    app.store.add(Colleague(name="Sam Ortiz"))
    app.store.update_settings(circle_dir=str(circle))
    circles.set_status(circle, "free for a debrief", NOW.add(minutes=30), now=NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        details = str(app.screen.query_one("#card-details", Static).render())
        assert "Circle" in details and "free for a debrief (until 15:00)" in details
        await pilot.press("escape", "down", "enter")
        await pilot.pause()
        assert "Circle" not in str(app.screen.query_one("#card-details", Static).render())


def test_a_message_dated_in_the_future_is_named_and_skipped(circle: Path) -> None:
    ask = circles.send_ask(circle, now=NOW)
    ahead = NOW.add(days=400).timestamp()
    os.utime(circle / circles.me() / f"{ask}.json", (ahead, ahead))
    view = circles.read_circle(circle, now=NOW)
    assert view.asks == [] and any("dated in the future" in problem for problem in view.problems)


def test_a_folder_with_too_many_files_is_read_only_so_far(circle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(circles, "FOLDER_ENTRIES", 5)
    for _ in range(8):
        circles.send_ask(circle, now=NOW)
    view = circles.read_circle(circle, now=NOW)
    assert len(view.asks) <= 5 and any("too many files" in problem for problem in view.problems)


def test_a_member_name_that_is_a_path_is_no_member(circle: Path) -> None:
    for name in ("../circle", ".", "..", "a/b", ".hidden"):
        with pytest.raises(circles.CircleError, match="not in this circle"):
            circles.send_checkin(circle, name, "hi", now=NOW)
        assert circles.member_status(circle, name, now=NOW) is None


def test_circle_alone_lists_what_it_can_do_and_touches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "never"
    assert main(["circle", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Say what to do in the circle, for example: tend circle inbox")
    for what in ("join", "send", "status", "ask", "take", "inbox", "leave"):
        assert f"\n    {what} " in err, what
    assert "Traceback" not in err and not data.exists()
