"""``tend scan --plain`` and ``tend breathe --plain``: line by line, for screen readers and
dumb terminals. Driven through a real pty; nothing sleeps (the breathing runs on a fake
clock, ``tests/plain_driver.py``)."""

from __future__ import annotations

import io
import os
import signal
import sys
from pathlib import Path

import pendulum
import pytest

from app import bodyscan as bs
from app import plain
from app.cli import main
from app.models import BodyScan, BreathingPattern, BreathingSession, Colleague, Contact
from app.modes import StartOptions
from app.storage import Store
from tests.ptyrun import PtyProcess

DUMB = {"TERM": "dumb", "LANG": "C.UTF-8", "LC_ALL": "", "NO_COLOR": ""}


def driver(data: Path, *args: str, env: dict[str, str] | None = None) -> PtyProcess:
    environment = {**DUMB, "TEND_DATA_DIR": str(data), **(env or {})}
    return PtyProcess([sys.executable, "-m", "tests.plain_driver", *args], env=environment)


def finish(proc: PtyProcess) -> int:
    assert proc.wait_exit(20) is not None, (bytes(proc.output), proc.diagnosis())
    proc.read_for(0.05)
    code = proc.status or 0
    proc.kill()
    return code >> 8


def assert_plain(output: bytes) -> None:
    """No escape sequence of any kind (no colour, no cursor movement), no traceback."""
    assert b"\x1b" not in output, output
    assert b"\x9b" not in output
    assert b"Traceback" not in output, output.decode(errors="replace")


def answer(proc: PtyProcess, reply: str, count: int) -> None:
    """Wait for the ``count``-th prompt, then type ``reply`` and enter."""
    deadline_ok = True
    for _ in range(200):
        if proc.output.count(b"> ") >= count:
            break
        proc.read_for(0.05)
    else:
        deadline_ok = False
    assert deadline_ok, bytes(proc.output)
    proc.send(reply.encode() + b"\r")


def test_a_plain_scan_asks_each_item_on_its_own_line_and_saves_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = driver(data, "scan", "--plain")
    replies = ["2", "1", "s", "b", "7", "3", "q"]  # jaw 2, neck 1, skip chest, back, a bad number, chest 3, finish
    for count, reply in enumerate(replies, start=1):
        answer(proc, reply, count)
    assert finish(proc) == 0
    output = bytes(proc.output)
    assert_plain(output)
    text = output.decode()
    assert "1 of 14: Jaw and face" in text and "0 none  1 a little  2 noticeable  3 strong" in text
    assert "Type a number from 0 to 3" in text
    assert "Saved to your scan history." in text
    store = Store.open(data)
    (scan,) = store.all(BodyScan)
    assert scan.ratings == {"jaw": 2, "neck": 1, "chest": 3}
    assert "breath" in scan.skipped
    assert store.draft("scan") is None


def test_ctrl_c_in_a_plain_scan_keeps_the_answers_for_the_scan_screen(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = driver(data, "scan", "--plain")
    answer(proc, "2", 1)
    answer(proc, "3", 2)
    for _ in range(200):
        if proc.output.count(b"> ") >= 3:
            break
        proc.read_for(0.05)
    proc.send(b"\x03")
    assert finish(proc) == 130
    output = bytes(proc.output)
    assert_plain(output)
    assert b"Stopped. What you answered is kept" in output
    store = Store.open(data)
    assert store.all(BodyScan) == []
    waiting = bs.ScanState.from_dict(store.draft("scan"))
    assert waiting.ratings == {"jaw": 2, "neck": 3} and waiting.index == 2


def test_plain_breathing_prints_the_phase_words_and_nothing_else(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = driver(data, "breathe", "--plain", "--pattern", "sigh", "--cycles", "2", "--bell")
    assert finish(proc) == 0
    output = bytes(proc.output)
    assert_plain(output)
    lines = [line for line in output.replace(b"\a", b"").decode().splitlines() if line.strip()]
    words = ["Breathe in", "A little more in", "Breathe out"] * 2
    assert lines == [*words, "That's it. Thank you for taking this moment for yourself."]
    assert output.count(b"\a") == len(words) - 1  # at each new phase, as the screen rings it
    (session,) = Store.open(data).all(BreathingSession)
    assert (session.pattern, session.cycles_done, session.completed) == ("sigh", 2, True)
    assert session.actual_seconds == pytest.approx(20.0, abs=0.1)


def test_ctrl_c_ends_plain_breathing_with_one_sentence_and_logs_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = driver(data, "breathe", "--plain", "--pattern", "box", "--cycles", "3", env={"PLAIN_BLOCK_AFTER": "6"})
    # The sixth wait (the second cycle's hold) blocks until ctrl+c: one whole cycle is done.
    assert proc.wait_for(b"Breathe out", timeout=20)
    for _ in range(100):
        if proc.output.count(b"Breathe in") >= 2:
            break
        proc.read_for(0.05)
    proc.send(b"\x03")
    assert finish(proc) == 0
    output = bytes(proc.output)
    assert_plain(output)
    tail = [line for line in output.decode().splitlines() if line.strip() and line.strip() != "^C"]
    assert tail[-1] == "Stopped after one full breath, saved to your history."
    (session,) = Store.open(data).all(BreathingSession)
    assert (session.cycles_done, session.completed) == (1, False)


def test_plain_modes_are_ascii_where_the_locale_is_not_utf8(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store.open(data)
    store.add(BreathingPattern(name="Café — calm", phases=[["inhale", 3], ["exhale", 3]]))
    jose = store.add(Colleague(name="José Núñez — peer", ideal_days=7, created=pendulum.now().subtract(days=60)))
    store.add(Contact(colleague_id=jose.id or 0, when=pendulum.now().subtract(days=9)))  # reached lately: an easy ask
    proc = driver(data, "breathe", "--plain", "--pattern", "custom-1", "--cycles", "1", env={"LANG": "C", "LC_ALL": "C"})
    assert finish(proc) == 0
    output = bytes(proc.output)
    assert_plain(output)
    assert output.isascii(), output
    assert b"Breathe in" in output
    # A scan whose signals are high names the colleague to check in with: in ASCII here.
    proc = driver(data, "scan", "--plain", env={"LANG": "C", "LC_ALL": "C"})
    for count, reply in enumerate(["s"] * 9 + ["3", "3", "q"], start=1):
        answer(proc, reply, count)
    assert finish(proc) == 0
    output = bytes(proc.output)
    assert_plain(output)
    assert output.isascii(), output
    assert b"Send Jose Nunez - peer a check-in." in output


def test_phase_words_come_in_time() -> None:
    """Each phase's words are printed when the phase begins, by the (fake) clock."""
    now = [0.0]
    printed: list[tuple[float, str]] = []

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            if text.strip():
                printed.append((round(now[0], 2), text.strip()))
            return len(text)

    def sleep(seconds: float) -> None:
        now[0] += seconds

    saved_clock, saved_sleep = plain.CLOCK, plain.SLEEP
    plain.CLOCK, plain.SLEEP = (lambda: now[0]), sleep
    try:
        import tempfile

        with tempfile.TemporaryDirectory() as store_dir:
            store = Store.open(Path(store_dir) / "d")
            code = plain.run_breathe(store, plain.Lines(Out(), io.StringIO()), StartOptions(pattern="478", cycles=2))
    finally:
        plain.CLOCK, plain.SLEEP = saved_clock, saved_sleep
    assert code == 0
    assert printed[:-1] == [
        (0.0, "Breathe in"), (4.0, "Hold"), (11.0, "Breathe out"),
        (19.0, "Breathe in"), (23.0, "Hold"), (30.0, "Breathe out"),
    ]
    assert printed[-1][0] == pytest.approx(38.0, abs=0.01)


def test_bell_and_guided_need_the_right_company(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    assert main(["breathe", "--bell", "--data", data]) == 2
    assert "add --plain" in capsys.readouterr().err
    assert main(["scan", "--plain", "--guided", "--data", data]) == 2
    assert "leave out --guided" in capsys.readouterr().err


def test_the_config_files_ascii_and_bell_apply_to_plain_breathing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store.open(data).add(BreathingPattern(name="Café — calm", phases=[["inhale", 3], ["exhale", 3]]))
    config = tmp_path / "config" / "tend" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("ascii = true\nbell = true\n")
    config.chmod(0o600)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "TEND_ASCII": ""}
    proc = driver(data, "breathe", "--plain", "--pattern", "custom-1", "--cycles", "2", env=env)
    assert finish(proc) == 0
    output = bytes(proc.output)
    assert_plain(output)
    assert output.isascii(), output
    assert output.count(b"\a") == 3  # four phases, a bell at each new one


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_dropped_connection_mid_breath_still_logs_the_session(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "data"
    proc = driver(data, "breathe", "--plain", "--pattern", "box", "--cycles", "3", env={"PLAIN_BLOCK_AFTER": "6"})
    for _ in range(300):
        if proc.output.count(b"Breathe in") >= 2:
            break
        proc.read_for(0.05)
    os.kill(proc.pid, signum)
    assert proc.wait_exit(20) is not None
    proc.kill()
    assert b"Traceback" not in bytes(proc.output)
    (session,) = Store.open(data).all(BreathingSession)
    assert (session.cycles_done, session.completed) == (1, False)


def test_a_scan_begun_on_the_screen_carries_on_in_plain_mode(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    begun = bs.ScanState.new()
    begun.rate(2)  # jaw, then on to the shoulders
    store.save_draft("scan", begun.to_dict())
    out = io.StringIO()
    code = plain.run_scan(store, plain.Lines(out, io.StringIO("y\n3\nq\n"), ascii_only=False))
    assert code == 0
    assert "You started a scan earlier (1 of 14 answered). Carry on with it? (y/n)" in out.getvalue()
    assert "2 of 14: Neck and shoulders" in out.getvalue()
    (scan,) = store.all(BodyScan)
    assert scan.ratings == {"jaw": 2, "neck": 3}
    assert store.draft("scan") is None
