"""The circle with real Unix users in a shared group (issue 20): what one member writes,
another reads through the real folder; the kernel keeps everyone to their own files; a
hostile member's files are named and skipped, or shown as plain text, never fatal."""

from __future__ import annotations

import json
import os
import stat
import textwrap

import pendulum

from app.textclean import clean_text
from tests.circle_users import UnixCircle, unix_circle  # noqa: F401  # the fixture
from tests.conftest import HOSTILE


def test_the_circle_folder_is_the_groups_setgid_sticky_and_closed_to_others(unix_circle: UnixCircle) -> None:
    st = os.stat(unix_circle.circle)
    assert stat.S_IMODE(st.st_mode) == 0o3770
    assert st.st_gid == unix_circle.gid
    own = os.stat(unix_circle.circle / unix_circle.people["a"].name)
    assert own.st_uid == unix_circle.people["a"].uid and stat.S_IMODE(own.st_mode) == 0o2750
    assert "tend circle join" in (unix_circle.circle / "README").read_text()


def test_two_members_exchange_a_checkin_and_a_status(unix_circle: UnixCircle) -> None:
    a, b = unix_circle.people["a"].name, unix_circle.people["b"].name
    sent = unix_circle.tend("a", "send", b, "Thinking of you after this morning. Tea at 3?")
    assert sent.returncode == 0, sent.stderr
    shared = unix_circle.tend("a", "status", "free for a debrief", "--until", "45m")
    assert shared.returncode == 0, shared.stderr

    inbox = unix_circle.inbox("b")
    assert [(m["from"], m["text"]) for m in inbox["checkins"]] == [(a, "Thinking of you after this morning. Tea at 3?")]
    assert [(s["member"], s["text"]) for s in inbox["statuses"]] == [(a, "free for a debrief")]
    ends = pendulum.parse(inbox["statuses"][0]["until"])
    assert 40 * 60 < (ends - pendulum.now()).total_seconds() <= 46 * 60  # 45 min on, ending on the minute after

    back = unix_circle.tend("b", "send", a, "Yes please.")
    assert back.returncode == 0, back.stderr
    assert [(m["from"], m["text"]) for m in unix_circle.inbox("a")["checkins"]] == [(b, "Yes please.")]
    plain = unix_circle.tend("a", "inbox").stdout
    assert f"{b} checked in" in plain and "Yes please." in plain
    assert unix_circle.inbox("a")["statuses"][0]["member"] == a  # they see their own too

    # What a sent can be deleted by a; then b no longer sees it.
    [checkin] = unix_circle.inbox("b")["checkins"]
    assert unix_circle.tend("a", "delete", checkin["id"].split("/", 1)[1]).returncode == 0
    assert unix_circle.inbox("b")["checkins"] == []


def test_a_debrief_ask_is_taken_by_the_first_to_answer(unix_circle: UnixCircle) -> None:
    b = unix_circle.people["b"].name
    assert unix_circle.tend("a", "ask", "Rough session, could use ten minutes").returncode == 0
    [ask] = unix_circle.inbox("b")["asks"]
    assert ask["taken_by"] is None
    assert unix_circle.tend("b", "take", ask["id"], "I can, 10 min").returncode == 0
    assert unix_circle.inbox("a")["asks"][0]["taken_by"] == b
    again = unix_circle.tend("b", "take", ask["id"])
    assert again.returncode == 2 and "already taken" in again.stderr


def test_sharing_is_off_until_turned_on(unix_circle: UnixCircle) -> None:
    assert unix_circle.tend("b", "share", "status", "off").returncode == 0
    refused = unix_circle.tend("b", "status", "on a break")
    assert refused.returncode == 2 and "tend circle share status on" in refused.stderr
    assert unix_circle.inbox("a")["statuses"] == []


def test_an_outsider_can_read_nothing(unix_circle: UnixCircle) -> None:
    assert unix_circle.tend("a", "send", unix_circle.people["b"].name, "private words").returncode == 0
    joined = unix_circle.tend("o", "join", str(unix_circle.circle))
    assert joined.returncode == 2 and "you are not in it" in joined.stderr
    a_dir = unix_circle.circle / unix_circle.people["a"].name
    probe = textwrap.dedent(f"""
        import os
        for attempt in (lambda: os.listdir({str(unix_circle.circle)!r}), lambda: os.listdir({str(a_dir)!r}),
                        lambda: open({str(a_dir / 'status.json')!r}).read()):
            try:
                attempt()
                print("read")
            except PermissionError:
                print("refused")
    """)
    assert unix_circle.run("o", code=probe).stdout.split() == ["refused"] * 3


def test_a_member_cannot_change_or_delete_anothers_files(unix_circle: UnixCircle) -> None:
    assert unix_circle.tend("a", "status", "heads down today").returncode == 0
    a_dir = unix_circle.circle / unix_circle.people["a"].name
    probe = textwrap.dedent(f"""
        import os, shutil
        a_dir = {str(a_dir)!r}
        attempts = [
            lambda: open(os.path.join(a_dir, "status.json"), "a").write("x"),
            lambda: os.unlink(os.path.join(a_dir, "status.json")),
            lambda: open(os.path.join(a_dir, "checkin-20261130T000000-00000000.json"), "w").write("{{}}"),
            lambda: os.rename(os.path.join(a_dir, "status.json"), os.path.join(a_dir, "gone")),
            lambda: os.rename(a_dir, a_dir + "-moved"),
            lambda: shutil.rmtree(a_dir),
            lambda: os.chmod(a_dir, 0o777),
        ]
        print(sum(1 for _ in [os.listdir(a_dir)]))  # b may read the folder
        for attempt in attempts:
            try:
                attempt()
                print("changed")
            except PermissionError:
                print("refused")
    """)
    done = unix_circle.run("b", code=probe)
    assert done.stdout.split() == ["1"] + ["refused"] * 7, done.stderr
    assert unix_circle.inbox("b")["statuses"][0]["text"] == "heads down today"


def test_hostile_files_are_named_and_skipped_or_shown_as_plain_text(unix_circle: UnixCircle) -> None:
    a, b = unix_circle.people["a"].name, unix_circle.people["b"].name
    day = pendulum.now("UTC").format("YYYYMMDD")
    texts = json.dumps(HOSTILE)
    plant = textwrap.dedent(f"""
        import json, os
        d = os.path.join({str(unix_circle.circle)!r}, {a!r})
        name = lambda n: os.path.join(d, "checkin-{day}T0000%02d-%08x.json" % (n, n))
        os.symlink("/etc/hostname", name(1))
        os.mkfifo(name(2))
        with open(name(3), "wb") as f:
            f.truncate(10 * 2**30)  # a 10 GB file that takes no room
        with open(name(4), "w") as f:
            json.dump({{"v": 1, "kind": "checkin", "from": {b!r}, "sender": {b!r}, "to": {b!r}, "text": "who wrote me?"}}, f)
        with open(name(5), "wb") as f:
            f.write(b"\\xff\\xfe not json")
        for n, text in enumerate(json.loads({texts!r}), start=10):
            with open(name(n), "w") as f:
                json.dump({{"v": 1, "kind": "checkin", "to": {b!r}, "text": text}}, f, ensure_ascii=False)
    """)
    planted = unix_circle.run("a", code=plant)
    assert planted.returncode == 0, planted.stderr

    done = unix_circle.tend("b", "inbox", "--json")
    assert done.returncode == 0, done.stderr
    inbox = json.loads(done.stdout)
    skipped = "\n".join(inbox["skipped"])
    assert f"{a}/checkin-{day}T000001-00000001.json is a link" in skipped
    assert f"{a}/checkin-{day}T000002-00000002.json is not an ordinary file" in skipped
    assert f"{a}/checkin-{day}T000003-00000003.json is too big (10,737,418,240 bytes)" in skipped
    assert f"{a}/checkin-{day}T000005-00000005.json is not a message Tend can read" in skipped
    assert "tend circle:" in done.stderr and "\x1b" not in done.stderr + done.stdout

    shown = {m["text"]: m["from"] for m in inbox["checkins"]}
    assert shown["who wrote me?"] == a  # the file's owner, never the name inside it
    assert set(shown.values()) == {a}
    for n, text in enumerate(HOSTILE, start=10):
        cleaned = clean_text(text, multiline=True, limit=1000)
        name = f"checkin-{day}T0000{n:02d}-{n:08x}.json"
        assert (cleaned in shown) or (name in skipped) or not cleaned, text[:40]

    plain = unix_circle.tend("b", "inbox")
    assert plain.returncode == 0 and "\x1b" not in plain.stdout and "\u202e" not in plain.stdout
    assert "[bold]Ann[/bold]" in plain.stdout or "[bold]Ann[/bold]" not in HOSTILE


def test_leaving_removes_everything_the_member_wrote(unix_circle: UnixCircle) -> None:
    b = unix_circle.people["b"].name
    for text in ("one", "two"):
        assert unix_circle.tend("a", "send", b, text).returncode == 0
    assert unix_circle.tend("a", "status", "on a break").returncode == 0
    left = unix_circle.tend("a", "leave")
    assert left.returncode == 0 and "3 files" in left.stdout, left.stderr
    assert not (unix_circle.circle / unix_circle.people["a"].name).exists()
    inbox = unix_circle.inbox("b")
    assert inbox["checkins"] == [] and inbox["statuses"] == []
    again = unix_circle.tend("a", "inbox")
    assert again.returncode == 2 and "not joined" in again.stderr


def test_an_unsafe_circle_folder_makes_every_command_refuse_with_the_reason(unix_circle: UnixCircle) -> None:
    b = unix_circle.people["b"].name
    commands = [("send", b, "hi"), ("status", "on a break"), ("inbox",), ("inbox", "--json"), ("ask",), ("leave",)]
    for mode, reason in ((0o3777, "written by anyone"), (0o3775, "read by anyone"), (0o2770, "not sticky")):
        os.chmod(unix_circle.circle, mode)
        for command in commands:
            done = unix_circle.tend("a", *command)
            assert done.returncode == 2 and reason in done.stderr, (mode, command, done.stderr)
        joined = unix_circle.tend("a", "join", str(unix_circle.circle))
        assert joined.returncode == 2 and reason in joined.stderr
    os.chmod(unix_circle.circle, 0o3770)
    link = unix_circle.base / "link-to-circle"
    link.symlink_to(unix_circle.circle)
    joined = unix_circle.tend("a", "join", str(link))
    assert joined.returncode == 2 and "symbolic link" in joined.stderr
    # A circle of a group the person is not in.
    os.chown(unix_circle.circle, -1, 0)
    done = unix_circle.tend("a", "inbox")
    assert done.returncode == 2 and "you are not in it" in done.stderr
