"""The config file ($XDG_CONFIG_HOME/tend/config.toml): what it sets, what it refuses, and
the one clear line (file and line number) for each thing it leaves out."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.cli import main
from app.config import config_path, load_config
from app.models import Settings
from tests.conftest import HOSTILE
from tests.notices import Notices

GOOD_AND_BAD = """\
theme = "nord"
bell = "yes"
colour = 3
reduced_motion = true

[keys]
"app.help" = "f2"
"bad id!" = "y"
"app.hide" = 5

[sessions]
pattern = "Mon-Fri 9:00-17:00, 50 min sessions"
length = 50
"""


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private XDG config folder (never the real one); returns where the file goes."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TEND_ASCII", raising=False)
    return tmp_path / "config" / "tend" / "config.toml"


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_each_unknown_key_and_bad_value_gets_a_line_with_the_file_and_line(config_home: Path) -> None:
    write(config_home, GOOD_AND_BAD)
    config = load_config()
    shown = str(config_home)
    assert config.problems == [
        f"{shown}, line 2: bell should be true or false; Tend uses its usual setting.",
        f"{shown}, line 3: Tend does not know 'colour', so it is left out (it knows theme, bell, ascii, reduced_motion, "
        "[keys] and [sessions]).",
        f"{shown}, line 8: 'bad id!' is not a binding id (they look like \"app.quit\"); that line is left out.",
        f"{shown}, line 9: the keys for 'app.hide' should be in quotes, like \"ctrl+q\" or \"f2,B\"; that key keeps its "
        "usual place.",
        f"{shown}, line 13: Tend does not know 'length' under [sessions], so it is left out (it knows pattern).",
    ]
    # What was good still applies; what was bad keeps its usual value.
    assert (config.theme, config.bell, config.reduced_motion) == ("nord", None, True)
    assert config.keys == {"app.help": "f2"}
    assert config.session_pattern == "Mon-Fri 9:00-17:00, 50 min sessions"


def test_a_file_that_is_not_toml_names_its_line_and_tend_starts_with_defaults(config_home: Path) -> None:
    write(config_home, 'theme = "nord"\nbell = \n')
    config = load_config()
    assert config.refused and config.theme is None
    assert config.problems == [
        f"{config_home}, line 2: this is not valid TOML (Invalid value), so Tend left the file out and starts with its "
        "usual settings."
    ]


def test_the_session_pattern_must_be_text(config_home: Path) -> None:
    write(config_home, "[sessions]\npattern = 50\n")
    config = load_config()
    assert config.session_pattern is None
    assert config.problems[0].startswith(f"{config_home}, line 2: pattern should be text in quotes")
    write(config_home, '[sessions]\npattern = "Tue 10:00-16:00 \\u001b[2J"\n')
    assert load_config().session_pattern == "Tue 10:00-16:00"  # cleaned as every text is: the escape sequence goes


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_file_others_may_change_is_refused(config_home: Path, mode: int) -> None:
    write(config_home, 'bell = true\n[keys]\n"app.quit" = "x"\n', mode)
    config = load_config()
    assert config.refused and config.bell is None and config.keys == {}
    assert config.problems == [
        f"{config_home} can be changed by others than you, so Tend left it unread and starts with its usual settings. "
        f"'chmod go-w {config_home}' makes it yours alone."
    ]


def test_a_folder_or_a_pipe_is_refused_without_waiting(config_home: Path) -> None:
    config_home.mkdir(parents=True)
    assert load_config().problems == [f"{config_home} is not an ordinary file, so Tend left it unread and starts with its usual settings."]
    config_home.rmdir()
    os.mkfifo(config_home, 0o600)
    assert load_config().refused  # opened without blocking, never read


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the file to someone else")
def test_a_file_owned_by_someone_else_is_refused(config_home: Path) -> None:
    write(config_home, "bell = true\n")
    os.chown(config_home, 65534, 65534)
    config = load_config()
    assert config.refused and config.bell is None
    assert "belongs to another user" in config.problems[0]


def test_a_symlink_to_a_file_of_your_own_is_read(config_home: Path, tmp_path: Path) -> None:
    real = write(tmp_path / "dotfiles" / "tend.toml", "bell = true\n")
    config_home.parent.mkdir(parents=True)
    config_home.symlink_to(real)
    assert load_config().bell is True


def test_config_path_prints_where_it_lives(config_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "--path"]) == 0
    assert capsys.readouterr().out == f"{config_home}\n"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert main(["config", "--path"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'home' / '.config' / 'tend' / 'config.toml'}\n"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")  # the XDG spec: only absolute paths count
    assert config_path() == tmp_path / "home" / ".config" / "tend" / "config.toml"


def test_doctor_checks_the_config_file(config_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    main(["doctor", "--data", data])
    assert f"[ok]        No config file at {config_home}" in capsys.readouterr().out
    write(config_home, 'colour = 3\n[keys]\n"app.help" = "f2"\n"nothing.here" = "x"\n')
    assert main(["doctor", "--data", data]) == 1
    out = capsys.readouterr().out
    assert f"[attention] {config_home}, line 1: Tend does not know 'colour'" in out
    assert f"[attention] {config_home}, line 4: no key of Tend has the id 'nothing.here'" in out
    assert "app.help" not in out  # a real id is fine
    write(config_home, 'bell = true\n')
    main(["doctor", "--data", data])
    assert f"[ok]        Config file {config_home} reads well." in capsys.readouterr().out


def test_problems_are_said_on_stderr_and_tend_carries_on(config_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    write(config_home, "bell = 1\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # the plain scan ends at once
    assert main(["scan", "--plain", "--data", str(tmp_path / "data")]) == 0
    err = capsys.readouterr().err
    assert err == f"tend: {config_home}, line 1: bell should be true or false; Tend uses its usual setting.\n"


def test_the_environment_wins_over_the_file_and_the_file_over_saved_settings(config_home: Path) -> None:
    write(config_home, "ascii = true\nbell = true\nreduced_motion = false\n")
    config = load_config()
    env: dict[str, str] = {}
    config.apply_to_environment(env)
    assert env == {"TEND_ASCII": "1"}
    env = {"TEND_ASCII": "0"}
    config.apply_to_environment(env)
    assert env == {"TEND_ASCII": "0"}  # the environment says already: it wins
    saved = Settings(bell=False, reduced_motion=True, theme="dracula")
    applied = config.over(saved)
    assert (applied.bell, applied.reduced_motion, applied.theme) == (True, False, "dracula")


async def test_the_app_starts_with_the_files_theme_keys_and_bell(config_home: Path, make_app: Callable[..., Any]) -> None:
    from app.tui import TendApp
    from screens.help import HelpScreen

    write(config_home, 'theme = "nord"\nbell = true\n[keys]\n"app.help" = "f2"\n')
    store = make_app().store
    store.update_settings(theme="dracula", bell=False)
    app = TendApp(store, config=load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert app.preferences().bell is True and app.store.settings().bell is False
        await pilot.press("question_mark")  # its usual key is not it any more: f2 is
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_an_unknown_theme_or_key_id_is_named_in_the_app(
    config_home: Path, make_app: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from app.tui import TendApp

    write(config_home, 'theme = "no-such-theme"\ncolour = 2\n[keys]\n"nothing.here" = "x"\n')
    store = make_app().store
    app = TendApp(store, config=load_config())
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.theme == "textual-dark"
    said = " ".join(notices.messages())
    assert f"{config_home}, line 1: there is no theme called 'no-such-theme'" in said
    # Two lines left out: one note, not a screen of them, and the command that lists them...
    assert f"2 lines of {config_home} were left out; each keeps its usual setting. In a shell, 'tend config'" in said
    assert main(["config"]) == 0
    listed = capsys.readouterr().out
    assert f"{config_home}, line 2: Tend does not know 'colour'" in listed  # ...does
    assert f"{config_home}, line 4: no key of Tend has the id 'nothing.here'" in listed


async def test_one_line_left_out_is_said_in_the_app_as_it_is(config_home: Path, make_app: Callable[..., Any]) -> None:
    from app.tui import TendApp

    write(config_home, '[keys]\n"nothing.here" = "x"\n')
    notices = Notices()
    async with TendApp(make_app().store, config=load_config()).run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
    assert notices.said(f"{config_home}, line 2: no key of Tend has the id 'nothing.here'")


def test_config_lists_every_key_id_and_says_how_the_file_reads(config_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "--keys"]) == 0
    listing = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line for line in listing[1:]}
    assert rows["app.quit"].split()[1] == "q" and "Quit Tend" in rows["app.quit"]
    assert "breathe.bell" in rows and "go.today" in rows  # the screens' keys too, not only the app's
    assert main(["config"]) == 0
    assert "There is no config file yet" in capsys.readouterr().out
    write(config_home, "bell = 2\n")
    assert main(["config"]) == 0
    assert capsys.readouterr().out == f"{config_home}\n{config_home}, line 1: bell should be true or false; Tend uses its usual setting.\n"


async def test_the_files_bell_rings_in_a_breathing_session(config_home: Path, make_app: Callable[..., Any],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from app.tui import TendApp
    from screens.breathe import BreatheScreen, ExerciseScreen

    now = [5000.0]
    monkeypatch.setattr(BreatheScreen, "clock", lambda: now[0])
    write(config_home, "bell = true\n")
    store = make_app().store
    store.update_settings(bell=False)  # saved inside Tend: the file wins
    app = TendApp(store, start_mode="breathe", start_options={"pattern": "box", "cycles": 2}, config=load_config())
    rings: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        now[0] += 4.5  # into the hold: a new phase
        screen.tick()
        await pilot.pause()
        assert rings == [1]


def test_a_pattern_tend_cannot_read_is_named_and_left_out(config_home: Path) -> None:
    write(config_home, '[sessions]\npattern = "whenever the kettle boils"\n')
    config = load_config()
    assert config.session_pattern is None
    [problem] = config.problems
    assert problem.startswith(f"{config_home}, line 2: Tend could not read") and problem.endswith("Tend leaves it out.")


async def test_keys_moved_in_the_config_file_are_the_keys_every_line_names(config_home: Path, make_app: Callable[..., Any]) -> None:
    from app.models import Colleague
    from app.tui import TendApp
    from screens.colleagues import LogContactDialog
    from tests.screentext import screen_text

    write(
        config_home,
        '[keys]\n"scan.note" = "f4"\n"scan.pace" = "f3"\n"scan.word.tight" = "f5"\n"log_contact.save" = "f6"\n',
    )
    store = make_app().store
    store.add(Colleague(name="Ann Lee"))
    app = TendApp(store, start_mode="scan", config=load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "f4 add a note (optional)" in text and "e add a note" not in text
        assert "f3 for a guided pace" in text
        assert "f5  tight" in text and "i  tight" not in text
        await pilot.press("f5")  # the key named is the key that works
        await pilot.pause()
        assert app.screen.state.words() == ("tight",)
        await pilot.press("c", "l")
        await pilot.pause()
        assert isinstance(app.screen, LogContactDialog)
        assert "f6 Save" in screen_text(app) and "^s Save" not in screen_text(app)


async def test_a_rituals_day_keys_moved_in_the_config_file_are_the_ones_its_detail_names(
    config_home: Path, make_app: Callable[..., Any]
) -> None:
    from app.models import Ritual
    from app.schedule import Schedule
    from app.tui import TendApp
    from tests.screentext import screen_text

    store = make_app().store
    store.add(Ritual(name="Team check-in", schedule=Schedule.daily().to_dict()))
    for keys, said in [("", "arrows choose a day; space, k, backspace set it"),
                       ('"ritual.detail.skip" = "f7"\n"ritual.detail.day_on" = "j"\n', "up/j/left/right choose a day; space, f7, backspace set it")]:  # fmt: skip
        write(config_home, "[keys]\n" + keys)
        app = TendApp(store, start_mode="rituals", config=load_config())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert said in screen_text(app)


# --------------------------------------------------------------------------- keys that can be pressed


@pytest.mark.parametrize(
    ("written", "shaped"),
    [
        ("B", "B"), ("?", "?"), ("f2", "f2"), ("question_mark", "question_mark"), ("ctrl+q", "ctrl+q"),
        ("shift+ctrl+up", "ctrl+shift+up"),  # Textual names the modifiers in this order
        ("+", "+"), ("ctrl+?", "ctrl+?"),
        ("Ctrl+Q", None), ("ctrl+ctrl+q", None), ("ctrl+", None), ("\x1b[2J", None), ("[bold]x[/]", None),
        (" ", None), ("a b", None), ("\u202eq", None), ("ctrl+\x07", None),
    ],
)
def test_a_key_is_one_character_or_a_name_after_its_modifiers(written: str, shaped: str | None) -> None:
    from app.config import key_shape

    assert key_shape(written) == shaped


@given(st.text(max_size=12))
def test_any_text_as_a_key_is_shaped_or_refused_never_a_crash(text: str) -> None:
    from app.config import key_shape

    shaped = key_shape(text)
    if shaped is not None:
        assert key_shape(shaped) == shaped  # shaping again changes nothing
        assert all(c.isprintable() and not c.isspace() for c in shaped)


def keys_file(config_home: Path, lines: str) -> Any:
    from app.tui import binding_places, spelled_key

    write(config_home, "[keys]\n" + lines)
    return load_config().keymap(binding_places(), spelled_key)


def test_a_key_that_another_action_has_on_the_same_screen_or_everywhere_keeps_its_usual_place(config_home: Path) -> None:
    shown = str(config_home)
    keymap, problems = keys_file(config_home, '"app.quit" = "t"\n"scan.note" = "s"\n"breathe.bell" = "B"\n')
    assert keymap == {"breathe.bell": "B"}
    assert problems == [
        f"{shown}, line 2: t is already the key for 'Today' (go.today), so 'app.quit' keeps its usual key, q. "
        "To give it t, move 'go.today' as well.",
        f"{shown}, line 3: s is already the key for 'Body scan' (go.scan), so 'scan.note' keeps its usual key, e. "
        "To give it s, move 'go.scan' as well.",
    ]


def test_an_id_written_without_quotes_or_under_a_subtable_is_the_same_id(config_home: Path) -> None:
    """TOML reads ``breathe.bell = "B"`` (no quotes, as ``tend config --keys`` prints the ids)
    as a table inside [keys]; it means the id "breathe.bell", and so does [keys.scan]."""
    shown = str(config_home)
    keymap, problems = keys_file(config_home, 'breathe.bell = "B"\napp.help = 5\n\n[keys.scan]\nnote = "N"\n')
    assert (keymap, problems) == ({"breathe.bell": "B", "scan.note": "N"}, [])
    assert load_config().problems == [f"{shown}, line 3: the keys for 'app.help' should be in quotes, like \"ctrl+q\" or \"f2,B\"; "
                        "that key keeps its usual place."]  # fmt: skip


def test_keys_swapped_in_the_file_both_move_and_two_actions_given_one_key_keep_theirs(config_home: Path) -> None:
    keymap, problems = keys_file(config_home, '"scan.rest" = "0"\n"scan.rate.0" = "j"\n')  # the scan's own keys
    assert (keymap, problems) == ({"scan.rest": "0", "scan.rate.0": "j"}, [])
    keymap, problems = keys_file(config_home, '"app.quit" = "f9"\n"app.help" = "f9"\n')
    assert keymap == {}
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "f9 is given to 'app.help' too, so 'app.quit' keeps its usual key, q.",
        "f9 is given to 'app.quit' too, so 'app.help' keeps its usual key, ? or f1.",
    ]


def test_a_name_textual_has_no_key_for_is_named_and_question_mark_is_the_same_key_as_its_character(config_home: Path) -> None:
    keymap, problems = keys_file(config_home, '"app.quit" = "tyop"\n"breathe.bell" = "question_mark"\n')
    assert keymap == {}
    assert "Tend knows no key called 'tyop' (for 'app.quit')" in problems[0]
    assert "question_mark is already the key for" in problems[1]  # the help key, ? by another name


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_as_keys_is_left_out_with_a_plain_line(config_home: Path, hostile: str) -> None:
    import json

    write(config_home, f'[keys]\n"app.quit" = {json.dumps(hostile)}\n')
    config = load_config()
    from app.tui import binding_places, spelled_key

    keymap, problems = config.keymap(binding_places(), spelled_key)
    for line in config.problems + problems:
        assert all(c.isprintable() for c in line), line
    assert keymap.get("app.quit", "q") in {"q", *(key_shape_or_none(k) for k in hostile.split(","))}


def key_shape_or_none(key: str) -> str | None:
    from app.config import key_shape

    return key_shape(key.strip())


async def test_a_clashing_key_in_the_file_leaves_both_actions_their_keys_and_says_so(
    config_home: Path, make_app: Callable[..., Any]
) -> None:
    write(config_home, '[keys]\n"app.quit" = "t"\n')
    notices = Notices()
    from app.tui import TendApp

    app = TendApp(make_app().store, start_mode="rituals", config=load_config())
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
        assert notices.said("t is already the key for 'Today'")
        await pilot.press("t")
        await pilot.pause()
        assert app.current_mode == "today" and app.is_running  # t still goes to Today, not out of Tend


@pytest.mark.parametrize("nested", ["a = " + "[" * 600 + "]" * 600, "a = " + "{x=" * 400 + "1" + "}" * 400])
def test_a_file_nested_hundreds_deep_is_left_out_and_status_still_answers(
    config_home: Path, nested: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(config_home, nested + "\n")
    config = load_config()
    assert config.refused and "nested too deeply" in config.problems[0]
    assert main(["--data", str(tmp_path / "data"), "status"]) == 0  # a prompt's status line keeps working
    assert main(["config"]) == 0 and "nested too deeply" in capsys.readouterr().out
