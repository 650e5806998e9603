"""Another Tend holds the lock for a long time (a big import): nothing here freezes or hangs.

Each test has a real second process take ``flock`` on ``tend.lock`` and hold it. Waits are
shortened with ``TEND_LOCK_WAIT``; the holder lets go by itself after a while, so a Tend that
waited on the lock without a limit (the bug) makes these tests fail rather than hang.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from app.models import Colleague
from app.storage import LockBusy, Store
from tests.conftest import waiting_line_shown
from tests.notices import Notices
from tests.ptyrun import PtyProcess

HOLD_SECONDS = 12
"""The holder lets go after this long, so a Tend blocked on the lock ends (late) instead of
hanging the test run."""

HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


class Holder:
    """Another process holding Tend's lock, as a long import would."""

    def __init__(self, lock: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(lock), str(HOLD_SECONDS)], stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"

    def let_go(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.fixture
def hold_lock(data_dir: Path) -> Iterator[Callable[[], Holder]]:
    holders: list[Holder] = []

    def start() -> Holder:
        holders.append(Holder(data_dir / "tend.lock"))
        return holders[-1]

    yield start
    for holder in holders:
        holder.let_go()


# The store ------------------------------------------------------------------------------------


def test_a_save_gives_up_after_the_wait_limit_with_a_plain_message(
    store: Store, hold_lock: Callable[[], Holder], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEND_LOCK_WAIT", "0.6")
    store.add(Colleague(name="Before"))
    told: list[str] = []
    store.on_lock_wait = lambda: told.append("waiting")
    before = (store.paths.database).read_bytes()
    hold_lock()
    outcome: list[BaseException | None] = []

    def save() -> None:
        try:
            store.add(Colleague(name="During"))
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - reported below
            outcome.append(error)

    worker = threading.Thread(target=save, daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(HOLD_SECONDS / 2)
    assert outcome, "the save was still waiting for the lock"
    assert time.monotonic() - started < 3
    [error] = outcome
    assert isinstance(error, LockBusy)
    assert str(error) == "Another Tend is saving (an import, perhaps). Tried for 0.6 s; nothing was changed."
    assert told == ["waiting"]  # once, after half a second
    assert store.paths.database.read_bytes() == before
    assert [c.name for c in store.all(Colleague)] == ["Before"]


def test_a_zero_wait_gives_up_at_once_and_the_lock_works_again_after(
    store: Store, hold_lock: Callable[[], Holder]
) -> None:
    holder = hold_lock()
    started = time.monotonic()
    with pytest.raises(LockBusy), store.lock_waits_at_most(0):
        store.add(Colleague(name="During"))
    assert time.monotonic() - started < 0.5
    holder.let_go()
    with store.lock_waits_at_most(0):
        store.add(Colleague(name="After"))
    assert [c.name for c in store.all(Colleague)] == ["After"]


# The command line -----------------------------------------------------------------------------


def run_tend(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TEND_LOCK_WAIT": "1"}
    return subprocess.run(
        [sys.executable, "-m", "app", "--data", str(data_dir), *args],
        capture_output=True, text=True, env=env, timeout=HOLD_SECONDS * 2, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("command", ["export", "import"])
def test_export_and_import_say_they_wait_then_give_up_plainly(
    data_dir: Path, store: Store, tmp_path: Path, hold_lock: Callable[[], Holder], command: str
) -> None:
    store.add(Colleague(name="Ann"))
    source = tmp_path / "in.vcf"
    source.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nEND:VCARD\r\n")
    before = store.paths.database.read_bytes()
    out = tmp_path / "out.json"
    args = ["export", "--out", str(out)] if command == "export" else ["import", str(source)]
    hold_lock()
    started = time.monotonic()
    done = run_tend(data_dir, *args)
    assert time.monotonic() - started < HOLD_SECONDS - 2, "tend waited for the other Tend to finish"
    assert done.returncode == 1
    assert done.stderr.count("Waiting for another Tend to finish saving...") == 1
    assert "Another Tend is saving (an import, perhaps). Tried for 1 s; nothing was changed." in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert store.paths.database.read_bytes() == before


@pytest.mark.slow
def test_doctor_fix_says_it_waits_then_leaves_the_temp_files_for_later(
    data_dir: Path, store: Store, hold_lock: Callable[[], Holder]
) -> None:
    left = data_dir / ".tend-left.tmp"
    left.write_text("x")
    hold_lock()
    done = run_tend(data_dir, "doctor", "--fix")
    assert done.returncode == 1
    assert done.stderr.count("Waiting for another Tend to finish saving...") == 1
    assert "Could not remove leftover temporary files: Another Tend is saving (an import, perhaps). Tried for 1 s" in done.stdout
    assert left.exists()


@pytest.mark.slow
def test_a_second_tend_says_it_is_waiting_instead_of_a_blank_screen(
    data_dir: Path, store: Store, hold_lock: Callable[[], Holder]
) -> None:
    hold_lock()
    process = PtyProcess.tend("--data", str(data_dir), env={"TEND_LOCK_WAIT": "2"})
    try:
        assert process.wait_for(b"Waiting for another Tend to finish saving...", timeout=HOLD_SECONDS / 2)
        took = process.wait_exit(HOLD_SECONDS / 2)
        assert took is not None, "still waiting"
        assert os.WIFEXITED(process.status) and os.WEXITSTATUS(process.status) == 1  # type: ignore[arg-type]
        assert b"Another Tend is saving (an import, perhaps). Tried for 2 s; nothing was changed." in process.output
    finally:
        process.kill()


# The app --------------------------------------------------------------------------------------


async def until(pilot, condition: Callable[[], bool], seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    """Let the app run until ``condition`` holds (a worker thread and another process are
    involved, so this waits on real time, polling)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def open_form_and_save(app, pilot, hold_lock: Callable[[], Holder]) -> tuple[object, Holder]:  # type: ignore[no-untyped-def]
    from screens.colleagues import ColleagueForm

    await pilot.press("a")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, ColleagueForm)
    form.query_one("#form-name", Input).value = "Ann Okafor"
    holder = hold_lock()
    started = time.monotonic()
    await pilot.press("ctrl+s")
    assert time.monotonic() - started < 2, "ctrl+s froze the app while another Tend held the lock"
    return form, holder


async def test_a_save_while_another_tend_saves_shows_a_waiting_line_and_escape_stops_it(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder]
) -> None:
    store.update_settings(starters_offered=True)
    app = make_app("colleagues")
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:  # type: ignore[attr-defined]
        form, _ = await open_form_and_save(app, pilot, hold_lock)
        assert await until(pilot, lambda: waiting_line_shown(app))
        assert "Waiting for another Tend to finish saving" in str(app.screen.query_one("#lockwait-text").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form  # the form is still open, with everything typed
        assert form.query_one("#form-name", Input).value == "Ann Okafor"
        assert notices.said("Stopped waiting")
    assert store.all(Colleague) == []


async def test_the_save_completes_by_itself_once_the_other_tend_finishes(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder]
) -> None:
    from screens.colleagues import ColleagueForm

    store.update_settings(starters_offered=True)
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        _, holder = await open_form_and_save(app, pilot, hold_lock)
        assert await until(pilot, lambda: waiting_line_shown(app))
        await pilot.press("j", "k")  # keys still work: the app is not frozen
        assert store.all(Colleague) == []
        holder.let_go()  # the import is done
        assert await until(pilot, lambda: not waiting_line_shown(app) and not isinstance(app.screen, ColleagueForm))
    assert [c.name for c in store.all(Colleague)] == ["Ann Okafor"]


async def test_a_wait_that_ends_while_the_screen_is_hidden_finishes_once_it_is_back(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder]
) -> None:
    from screens.colleagues import ColleagueForm
    from screens.hide import HideScreen

    store.update_settings(starters_offered=True)
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        _, holder = await open_form_and_save(app, pilot, hold_lock)
        assert await until(pilot, lambda: waiting_line_shown(app))
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, HideScreen)
        holder.let_go()
        await pilot.pause(0.5)
        assert isinstance(app.screen, HideScreen)  # still hidden: nothing pops up over it
        await pilot.press("space")
        assert await until(pilot, lambda: not waiting_line_shown(app) and not isinstance(app.screen, ColleagueForm))
    assert [c.name for c in store.all(Colleague)] == ["Ann Okafor"]


async def test_a_contact_logged_while_another_tend_saves_is_logged_once_it_finishes(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder]
) -> None:
    from app.models import Contact
    from screens.colleagues import ColleaguesScreen, LogContactDialog

    store.update_settings(starters_offered=True)
    ann = store.add(Colleague(name="Ann Lee"))
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogContactDialog)
        holder = hold_lock()
        await pilot.press("enter")  # the dialog closes; the save finds the lock taken
        assert await until(pilot, lambda: waiting_line_shown(app))
        assert store.all(Contact) == []
        holder.let_go()
        assert await until(pilot, lambda: isinstance(app.screen, ColleaguesScreen) and bool(store.all(Contact)))
    assert [c.colleague_id for c in store.all(Contact)] == [ann.id]


async def test_a_wait_that_runs_out_leaves_the_form_open_and_says_why(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEND_LOCK_WAIT", "0.5")
    store.update_settings(starters_offered=True)
    app = make_app("colleagues")
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:  # type: ignore[attr-defined]
        form, _ = await open_form_and_save(app, pilot, hold_lock)
        assert await until(pilot, lambda: app.screen is form and notices.said("Tried for"))
        messages = notices.messages()
        # Over the form (a dialog) the toast is one line, its title folded in front.
        assert "Not saved: Another Tend is saving (an import, perhaps). Tried for 0.5 s; nothing was changed." in messages
        assert form.query_one("#form-name", Input).value == "Ann Okafor"
    assert store.all(Colleague) == []


# Signals --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_a_signal_while_a_save_waits_for_another_tend_still_exits_within_three_seconds(
    data_dir: Path, store: Store, hold_lock: Callable[[], Holder], how: str
) -> None:
    store.update_settings(welcomed=True, starters_offered=True)
    process = PtyProcess.tend("--data", str(data_dir), "colleagues")
    try:
        assert process.wait_for(b"Trusted colleagues"), process.output[-2000:]
        process.send(b"a")
        assert process.wait_for(b"Name")
        process.send(b"Ann")
        process.read_for(0.3)
        hold_lock()
        process.send(b"\x13")  # ctrl+s
        assert process.wait_for(b"Waiting for another Tend", timeout=5), "no waiting line"
        os.kill(process.pid, getattr(signal, how))
        took = process.wait_exit(3.0)
        assert took is not None, f"still running 3 s after {how}"
    finally:
        process.kill()
    assert store.all(Colleague) == []


# Saves nobody can ask for again (the session or scan has ended) wait for the other Tend ----------


async def test_a_breathing_session_that_ends_while_another_tend_saves_is_saved_once_it_finishes(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.models import BreathingSession
    from screens.breathe import BreatheScreen, ExerciseScreen
    from textual.widgets import Static

    clock = [5000.0]
    monkeypatch.setattr(BreatheScreen, "clock", lambda: clock[0])
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        await pilot.pause()
        exercise = app.screen
        assert isinstance(exercise, ExerciseScreen)
        clock[0] += 20.5
        exercise.tick()
        holder = hold_lock()
        await pilot.press("escape")  # ends the session: its save finds the lock taken
        assert await until(pilot, lambda: waiting_line_shown(app))
        summary = exercise.query_one("#ending-summary", Static)
        assert "saved once the other Tend has finished" in str(summary.render())
        assert store.all(BreathingSession) == []
        holder.let_go()
        assert await until(pilot, lambda: app.screen is exercise and bool(store.all(BreathingSession)))
        assert "saved to your history" in str(summary.render())
    [session] = store.all(BreathingSession)
    assert (session.pattern, session.actual_seconds, session.cycles_done) == ("box", 20.5, 1)


async def test_a_scan_finished_while_another_tend_saves_is_saved_once_it_finishes(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder]
) -> None:
    from app.models import BodyScan

    app = make_app("scan")
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("2", "3")  # jaw 2, shoulders 3: a draft is kept as the scan goes
        await pilot.pause()
        assert store.draft("scan") is not None
        holder = hold_lock()
        await pilot.press("d")  # done: the scan's save finds the lock taken
        assert await until(pilot, lambda: waiting_line_shown(app))
        assert store.all(BodyScan) == []
        holder.let_go()
        assert await until(pilot, lambda: not waiting_line_shown(app) and bool(store.all(BodyScan)))
        assert app.screen.view == "summary"
    [scan] = store.all(BodyScan)
    assert scan.ratings == {"jaw": 2, "neck": 3}
    assert store.draft("scan") is None  # and it is not offered again as a scan to carry on


async def test_a_rest_walk_ended_while_another_tend_saves_is_logged_once_it_finishes(
    make_app: Callable[..., object], store: Store, hold_lock: Callable[[], Holder], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import bodyscan as bs
    from app.models import BreathingSession
    from screens.scan import ScanScreen

    clock = [5000.0]
    monkeypatch.setattr(ScanScreen, "clock", staticmethod(lambda: clock[0]))
    app = make_app("scan")
    async with app.run_test(size=(80, 24)) as pilot:  # type: ignore[attr-defined]
        await pilot.press("j")  # the rest walk
        await pilot.pause()
        await pilot.press("right", "right")
        clock[0] += 12
        holder = hold_lock()
        await pilot.press("d")  # ended: its log finds the lock taken
        assert await until(pilot, lambda: waiting_line_shown(app))
        assert store.all(BreathingSession) == []
        holder.let_go()
        assert await until(pilot, lambda: bool(store.all(BreathingSession)))
    [session] = store.all(BreathingSession)
    assert session.pattern == bs.REST_PATTERN and session.cycles_done == 2
