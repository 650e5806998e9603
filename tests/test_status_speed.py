"""`tend status` runs every few seconds in a status bar: it imports only what it shows, and the
quicker ways it reads the file give the same answers as the ways they replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.models import Colleague, Ritual, RitualEntry
from app.rituals import load_states, read_schedule
from app.storage import DamagedFileError, Store, ids_in_shape, parse_database

ROOT = Path(__file__).resolve().parents[1]

LEFT_OUT = ("app.cli", "app.modes", "argparse", "tomllib", "app.sessions", "pendulum.locales.en", "textual")
"""What a status bar's run never needs: the full command line and its screens' modes, argparse
for plain options, the config file's reader when there is no file, the working pattern's
parser when none is set, pendulum's locale (loaded by its formatter), and Textual."""


def _imported_by_status(data_dir: Path, config_home: Path, *argv: str) -> tuple[str, set[str]]:
    code = (
        "import runpy, sys; sys.argv = ['tend', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('app', run_name='__main__')\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "print('MODULES', *sorted(sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(config_home)}
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    out, _, modules = done.stdout.partition("MODULES ")
    return out, set(modules.split())


def test_status_imports_only_what_it_shows(data_dir: Path, tmp_path: Path) -> None:
    store = Store.open(data_dir)
    ritual = store.add(Ritual(name="Walk at lunch", schedule={"kind": "daily"}))
    # "every 2nd Tuesday" with no start: read_schedule writes a note with the first day
    store.add(Ritual(name="Peer group", schedule={"kind": "days_of_week", "weekdays": [1], "every": 2}))
    store.add(RitualEntry(ritual_id=ritual.id or 0, day=pendulum.today().date().subtract(days=1), status="done"))
    store.add(Colleague(name="Dana", ideal_days=1, want_to_reach_now=True))
    for argv in (("status",), ("status", "--json")):
        out, modules = _imported_by_status(data_dir, tmp_path / "no-config", *argv, "--data", str(data_dir))
        assert "Dana" in out
        loaded = {name for name in LEFT_OUT if name in modules or any(m.startswith(name + ".") for m in modules)}
        assert loaded == set(), f"tend {' '.join(argv)} imported {sorted(loaded)}"


def test_other_commands_still_go_the_full_way(data_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "app", "--data", str(data_dir), "status", "--bogus"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False)
    assert done.returncode == 2
    assert "--bogus" in done.stderr
    done = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.strip()


def _ids_the_long_way(keys: list[str]) -> bool:
    return all(key.isascii() and key.isdigit() and len(key) <= 18 for key in keys)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.from_regex(r"\A[0-9]{1,20}\Z"), st.text(max_size=4)), max_size=6))
def test_the_quick_id_check_says_what_the_key_by_key_one_did(keys: list[str]) -> None:
    assert ids_in_shape(dict.fromkeys(keys)) == _ids_the_long_way(keys)


@pytest.mark.parametrize("key", ["", "1a", "\u00b2", "1" * 19, " 1", "-1"])
def test_a_file_with_a_broken_record_key_is_still_damaged(key: str) -> None:
    raw = ('{"_meta": {"1": {"schema": 1}}, "rituals": {"1": {}, "%s": {}}}' % key).encode()
    with pytest.raises(DamagedFileError, match="broken entries"):
        parse_database(raw)
    parse_database(b'{"_meta": {"1": {"schema": 1}}, "rituals": {"1": {}, "123456789012345678": {}}, "empty": {}}')


def test_the_first_day_note_reads_as_pendulum_wrote_it() -> None:
    for month in range(1, 13):
        created = pendulum.datetime(2024, month, 5, 9)
        ritual = Ritual(name="Peer group", schedule={"kind": "days_of_week", "weekdays": [1], "every": 2}, created=created)
        schedule, note = read_schedule(ritual)
        assert schedule is not None
        assert note == f"weeks counted from its first day, {created.date().format('D MMM YYYY')}"


def test_every_ritual_keeps_its_own_days_when_they_share_dates(store: Store) -> None:
    one = store.add(Ritual(name="One", schedule={"kind": "daily"}))
    two = store.add(Ritual(name="Two", schedule={"kind": "daily"}))
    day = pendulum.date(2026, 3, 2)
    store.add(RitualEntry(ritual_id=one.id or 0, day=day, status="done"))
    store.add(RitualEntry(ritual_id=two.id or 0, day=day, status="skipped"))
    store.add(RitualEntry(ritual_id=two.id or 0, day=day.add(days=1), status="done"))
    states = load_states(store)
    assert states[one.id or 0] == {day: "done"}
    assert states[two.id or 0] == {day: "skipped", day.add(days=1): "done"}
    assert all(type(when) is pendulum.Date for days in states.values() for when in days)


WORDS = ["--data", "--format", "--json", "--tmux", "--data=/tmp/t", "--format={due}", "--format=", "--data=",
         "--js", "--form", "-h", "--help", "--json=1", "--", "-", "-1", "-x y", "", "{due} due", "/tmp/t", "a=b", "=", "x"]  # fmt: skip


def _argparse_reading(args: list[str]) -> dict[str, object] | None:
    import argparse
    import contextlib
    import io

    from app.cli_status import add_status_arguments

    parser = argparse.ArgumentParser(prog="tend status", exit_on_error=False)
    parser.add_argument("--data", metavar="DIR", default=None)
    add_status_arguments(parser)
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return vars(parser.parse_args(args))
    except (SystemExit, argparse.ArgumentError):
        return None


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=5))
def test_status_options_read_without_argparse_mean_what_argparse_reads(args: list[str]) -> None:
    from app.cli_status import plain_status_args

    plain = plain_status_args(args)
    if plain is not None:  # anything it does not take goes to argparse, messages and all
        assert vars(plain) == _argparse_reading(args)


def test_the_usual_status_command_lines_are_read_without_argparse() -> None:
    from app.cli_status import plain_status_args

    for args in (["--data", "/d"], ["--json", "--data=/d"], ["--format", "{due} due", "--tmux"], []):
        assert plain_status_args(args) is not None, args
