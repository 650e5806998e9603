"""The config file: ``$XDG_CONFIG_HOME/tend/config.toml`` (usually ``~/.config/tend/config.toml``).

Read with the standard library (``tomllib``); Tend never writes it. Every key is optional::

    theme = "nord"             # one of Textual's themes (ctrl+p lists them)
    bell = true                # ring the bell at each new breathing phase
    ascii = false              # draw in plain ASCII (like TEND_ASCII=1)
    reduced_motion = true      # breathing without the growing figure

    [keys]                     # Textual's keymap: a binding id = the keys for it
    "app.quit" = "ctrl+q"
    "breathe.bell" = "B"

    [sessions]
    pattern = "on the hour, 9 to 17, 50 minutes"

What wins (README, "Settings"): the command line, then the environment (``TEND_ASCII``...),
then this file, then what was chosen inside Tend (saved with the data). So a choice made
inside Tend (the bell key, a theme from the palette) holds until Tend closes; the file is
what Tend starts with, every time.

A key Tend does not know, or a value that does not fit, gets one line naming the file and
the line, and that one setting keeps its usual value; the rest of the file still applies.
In ``[keys]`` that includes a key that cannot be pressed and one that another action has
where both work (:meth:`Config.keymap`, given the bindings by the UI).
A file that is not valid TOML is left out as a whole (the line is in the message). A file
that is not an ordinary file owned by you, or that others may change, is refused outright:
it decides which keys do what.

Plain Python with no Textual import.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.models import Settings
from app.paths import APP_NAME, shown_path
from app.textclean import clean_text

CONFIG_NAME = "config.toml"
MAX_BYTES = 256 * 1024
"""A config file bigger than this is refused (it is a dozen lines)."""

FLAGS = ("bell", "ascii", "reduced_motion")
KNOWN_TOP = ("theme", *FLAGS, "keys", "sessions")
KNOWN_SESSIONS = ("pattern",)
PATTERN_LIMIT = 500

_BINDING_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,79}")
MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
"""What may come before a key, joined by "+": Textual names a key press so, in this order."""
_KEY_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
APP_SCOPE = "app"
"""The scope of a binding that works on every screen (the app's own, such as quit)."""


@dataclass
class KeyPlace:
    """Where a binding lives, for checking a keymap without Textual: its usual keys, what it
    does, and the scopes it works in (:data:`APP_SCOPE` for everywhere, else the classes of
    the screens and widgets that have it)."""

    keys: str
    label: str
    scopes: frozenset[str]


KeyCheck = tuple[Mapping[str, KeyPlace], Callable[[str], str | None]]
"""What checking a keymap needs from the UI: every binding's place, and how a key is spelled
(see :meth:`Config.keymap`)."""


def key_shape(key: str) -> str | None:
    """``key`` as Textual would name the press (modifiers in its order, "shift+ctrl+x" is
    "ctrl+shift+x"), or None when it cannot be a key: one printable character, or the name
    of a key in small letters ("f2", "question_mark"), after any :data:`MODIFIERS` and "+"."""
    if len(key) == 1:
        return key if key.isprintable() and not key.isspace() and key != "," else None
    *modifiers, name = key.split("+")
    if not all(modifier in MODIFIERS for modifier in modifiers) or len(set(modifiers)) < len(modifiers):
        return None
    if not ((len(name) == 1 and name.isprintable() and not name.isspace()) or _KEY_NAME.fullmatch(name)):
        return None
    return "+".join([*sorted(modifiers), name])


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/tend``, else ``~/.config/tend`` (a relative XDG_CONFIG_HOME is
    ignored, as the XDG spec says)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    if not base or not os.path.isabs(base):
        home = env.get("HOME") or str(Path.home())
        base = os.path.join(home, ".config")
    return Path(base) / APP_NAME


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the config file lives (whether or not it exists)."""
    return config_dir(environ) / CONFIG_NAME


@dataclass
class Config:
    """What the config file asks for; None (or empty) for anything it leaves alone."""

    path: Path
    exists: bool = False
    theme: str | None = None
    bell: bool | None = None
    ascii: bool | None = None
    reduced_motion: bool | None = None
    keys: dict[str, str] = field(default_factory=dict)
    """Textual's keymap: binding id -> keys ("ctrl+q", "f2,B")."""
    session_pattern: str | None = None
    """``[sessions] pattern``: the working pattern of sessions, as text (read by Today)."""
    problems: list[str] = field(default_factory=list)
    """One line per thing left out: the file, the line and what was wrong."""
    refused: bool = False
    """True when the whole file was refused (not yours, writable by others, not TOML...)."""
    lines: dict[str, int] = field(default_factory=dict)
    """Where each setting was found: "theme", "keys.app.quit", "sessions.pattern" -> line."""

    def where(self, name: str) -> str:
        """``~/.config/tend/config.toml, line 3`` for a setting (without the line if unknown)."""
        line = self.lines.get(name)
        shown = shown_path(self.path)
        return f"{shown}, line {line}" if line else shown

    def over(self, settings: Settings) -> Settings:
        """``settings`` (what was chosen inside Tend) with this file's choices on top."""
        chosen = {"theme": self.theme, "bell": self.bell, "reduced_motion": self.reduced_motion, "session_pattern": self.session_pattern}
        changes: dict[str, Any] = {name: value for name, value in chosen.items() if value is not None}
        return dataclasses.replace(settings, **changes) if changes else settings

    def apply_to_environment(self, environ: MutableMapping[str, str] | None = None) -> None:
        """``ascii`` as ``TEND_ASCII``, unless the environment already says (it wins)."""
        env = os.environ if environ is None else environ
        if self.ascii is not None and not env.get("TEND_ASCII", "").strip():
            env["TEND_ASCII"] = "1" if self.ascii else "0"

    def keymap(self, places: Mapping[str, KeyPlace], spelled: Callable[[str], str | None]) -> tuple[dict[str, str], list[str]]:
        """The ``[keys]`` that can be applied, and a line for each that cannot (it keeps its
        usual key): an id no key of Tend has, a name Textual has no key for (``spelled``, the
        UI's: a key as one character where it is one, "question_mark" as "?", None for no
        such key), or a key another binding has where both work (the same screen, or one of
        them everywhere), unless that one moves too. So no action loses its key by surprise."""
        def pressed(keys: Iterable[str]) -> set[str]:
            return {spelled(key) or key for key in keys}

        def usual(binding: str) -> str:  # "? or f1", not "question_mark,f1"
            shown = []
            for key in (key.strip() for key in places[binding].keys.split(",")):
                character = spelled(key) or key
                shown.append(character if len(character) == 1 and not character.isspace() else key)
            return " or ".join(shown)

        problems: list[str] = []
        moved: dict[str, list[str]] = {}
        for binding, keys in self.keys.items():
            where = self.where("keys." + binding)
            if binding not in places:
                problems.append(f"{where}: no key of Tend has the id {binding!r}, so that line changes nothing. "
                                "'tend config --keys' lists every id.")
                continue
            unknown = next((key for key in keys.split(",") if spelled(key) is None), None)
            if unknown is not None:
                problems.append(f"{where}: Tend knows no key called {unknown!r} (for {binding!r}); keys look like "
                                f"\"ctrl+q\", \"f2\", \"B\" or \"question_mark\". It keeps its usual key, {usual(binding)}.")
                continue
            moved[binding] = keys.split(",")

        held = {binding: pressed(moved.get(binding) or place.keys.split(",")) for binding, place in places.items()}
        kept = dict(moved)
        for binding, written in moved.items():
            place = places[binding]
            for other, other_place in places.items():
                together = place.scopes & other_place.scopes or APP_SCOPE in place.scopes | other_place.scopes
                shared = held[binding] & held[other]
                if other == binding or not together or not shared:
                    continue
                key = next(key for key in written if (spelled(key) or key) in shared)
                whose = (f"is given to {other!r} too" if other in moved else
                         f"is already the key for {other_place.label!r} ({other})")
                problems.append(f"{self.where('keys.' + binding)}: {key} {whose}, so {binding!r} keeps its usual "
                                f"key, {usual(binding)}." + ("" if other in moved else f" To give it {key}, move {other!r} as well."))
                kept.pop(binding, None)
                break
        return {binding: ",".join(keys) for binding, keys in kept.items()}, problems


def _line_of(text: str, table: str, key: str) -> int | None:
    """The line (from 1) where ``key`` is set in ``[table]`` ("" for the top), if it can be found."""
    current = ""
    quoted = re.escape(key)
    pattern = re.compile(rf"""\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*=""")
    header = re.compile(r"""\s*\[\s*([^\]\s]+)\s*\]""")
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found and not line.lstrip().startswith("[["):
            current = found.group(1).strip("\"'")
            if table == "" and current == key:
                return number  # the table's own header: [keys]
            continue
        if current == table and pattern.match(line):
            return number
    return None


def _read(path: Path) -> tuple[bytes | None, str | None]:
    """The file's bytes (None if there is no file), or why it is refused."""
    shown = shown_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"{shown}: Tend could not open it ({error.strerror or error}), so it starts with its usual settings."
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, f"{shown} is not an ordinary file, so Tend left it unread and starts with its usual settings."
        if info.st_uid != os.geteuid():
            return None, (
                f"{shown} belongs to another user, so Tend left it unread (it decides what your keys do) "
                "and starts with its usual settings."
            )
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None, (
                f"{shown} can be changed by others than you, so Tend left it unread and starts with its usual "
                f"settings. 'chmod go-w {shown}' makes it yours alone."
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        return None, f"{shown}: Tend could not read it ({error.strerror or error}), so it starts with its usual settings."
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        return None, f"{shown} is bigger than a config file can be ({MAX_BYTES // 1024} KB), so Tend left it unread."
    return data, None


def load_config(environ: Mapping[str, str] | None = None, *, path: Path | None = None) -> Config:
    """Read the config file; never raises. Problems are in ``problems``, one line each."""
    path = path or config_path(environ)
    config = Config(path=path)
    data, refusal = _read(path)
    if refusal:
        config.exists, config.refused = True, True
        config.problems.append(refusal)
        return config
    if data is None:
        return config
    config.exists = True
    shown = shown_path(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        config.refused = True
        config.problems.append(
            f"{shown}, line {line}: this is not UTF-8 text, so Tend left the file out and starts with its usual settings."
        )
        return config
    import tomllib  # only when there is a file: ``tend status`` runs often, mostly without one

    try:
        table = tomllib.loads(text)
    except RecursionError:  # brackets nested hundreds deep: no config file of Tend's
        config.refused = True
        config.problems.append(
            f"{shown}: this is nested too deeply to be a config file, so Tend left the file out and starts with "
            "its usual settings."
        )
        return config
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        reason = clean_text(re.sub(r"\s*\(at .*\)$", "", message), limit=120)
        where = f"{shown}, line {found.group(1)}" if found else shown
        config.refused = True
        config.problems.append(
            f"{where}: this is not valid TOML ({reason}), so Tend left the file out and starts with its usual settings."
        )
        return config
    _take(config, table, text)
    return config


def _take(config: Config, table: dict[str, Any], text: str) -> None:
    def note(name: str, table_name: str, key: str, message: str) -> None:
        line = _line_of(text, table_name, key)
        if line:
            config.lines[name] = line
        config.problems.append(f"{config.where(name)}: {message}")

    for key, value in table.items():
        line = _line_of(text, "", key)
        if line:
            config.lines[key] = line
        if key not in KNOWN_TOP:
            note(key, "", key, f"Tend does not know {clean_text(key, limit=40)!r}, so it is left out "
                 "(it knows theme, bell, ascii, reduced_motion, [keys] and [sessions]).")
        elif key == "theme":
            if isinstance(value, str) and clean_text(value, limit=64) == value and value:
                config.theme = value
            else:
                note(key, "", key, "theme should be the name of a theme in quotes, like \"nord\"; Tend uses its usual one.")
        elif key in FLAGS:
            if isinstance(value, bool):
                setattr(config, key, value)
            else:
                note(key, "", key, f"{key} should be true or false; Tend uses its usual setting.")
        elif key == "keys":
            _take_keys(config, value, text, note)
        elif key == "sessions":
            _take_sessions(config, value, text, note)


def _dotted(table: dict[str, Any]) -> list[tuple[str, object]]:
    """The table's entries with TOML's dotted keys joined again: ``scan.done = "D"`` written
    without quotes is ``{"scan": {"done": "D"}}`` to TOML, and means the id "scan.done" (as
    does ``done = "D"`` under ``[keys.scan]``). Without recursion, however deep a file nests."""
    found: list[tuple[str, object]] = []
    waiting: list[tuple[str, dict[str, Any]]] = [("", table)]
    while waiting:
        prefix, current = waiting.pop()
        for key, value in current.items():
            if isinstance(value, dict):
                waiting.append((f"{prefix}{key}.", value))
            else:
                found.append((f"{prefix}{key}", value))
    return found


def _take_keys(config: Config, value: object, text: str, note: Any) -> None:
    if not isinstance(value, dict):
        note("keys", "", "keys", "keys should be a table: [keys] on a line of its own, then \"binding.id\" = \"key\" lines.")
        return
    for binding, keys in _dotted(value):
        name = f"keys.{binding}"
        line = _line_of(text, "keys", binding)
        if line:
            config.lines[name] = line
        shown = clean_text(binding, limit=40)
        if not _BINDING_ID.fullmatch(binding):
            note(name, "keys", binding, f"{shown!r} is not a binding id (they look like \"app.quit\"); that line is left out.")
        elif not isinstance(keys, str):
            note(name, "keys", binding, f"the keys for {shown!r} should be in quotes, like \"ctrl+q\" or \"f2,B\"; "
                 "that key keeps its usual place.")
        elif not keys.strip():
            note(name, "keys", binding, f"the keys for {shown!r} are empty; that key keeps its usual place.")
        else:
            written = [k.strip() for k in keys.split(",")]
            shaped = [key_shape(k) for k in written]
            wrong = next((k for k, shape in zip(written, shaped, strict=True) if shape is None), None)
            if wrong is not None:
                note(name, "keys", binding, f"{wrong[:40]!a} (for {shown!r}) is not a key's name: "
                     "keys look like \"ctrl+q\", \"f2\", \"B\" or \"question_mark\", modifiers in small letters; "
                     "that key keeps its usual place.")
            else:
                config.keys[binding] = ",".join(shape for shape in shaped if shape)


def _take_sessions(config: Config, value: object, text: str, note: Any) -> None:
    if not isinstance(value, dict):
        note("sessions", "", "sessions", "sessions should be a table: [sessions] on a line of its own, then pattern = \"...\".")
        return
    for key, item in value.items():
        name = f"sessions.{key}"
        line = _line_of(text, "sessions", key)
        if line:
            config.lines[name] = line
        if key not in KNOWN_SESSIONS:
            note(name, "sessions", key, f"Tend does not know {clean_text(key, limit=40)!r} under [sessions], so it is "
                 "left out (it knows pattern).")
        elif not isinstance(item, str) or not clean_text(item, limit=PATTERN_LIMIT):
            note(name, "sessions", key, "pattern should be text in quotes, like \"on the hour, 9 to 17, 50 "
                 "minutes\"; Tend leaves it out.")
        elif isinstance(read := _parse_pattern(clean_text(item, limit=PATTERN_LIMIT)), str):
            note(name, "sessions", key, f"{read} Tend leaves it out.")
        else:
            config.session_pattern = clean_text(item, limit=PATTERN_LIMIT)


def _parse_pattern(text: str) -> object:
    """:func:`app.sessions.parse_pattern`, imported only when a file names a pattern."""
    from app.sessions import parse_pattern

    return parse_pattern(text)


def startup_config(say: Any, environ: MutableMapping[str, str] | None = None) -> Config:
    """Read the file as Tend starts: ``ascii`` goes into the environment (unless it says
    already), and each problem is said once (``say(line)``, to stderr)."""
    config = load_config(environ)
    config.apply_to_environment(environ)
    for problem in config.problems:
        say(f"tend: {problem}")
    return config


def describe(config: Config, keys: KeyCheck | None = None) -> str:
    """``tend config``: where the file lives, whether it is there, and what is wrong with it
    (with ``keys``, :meth:`Config.keymap`'s lines too)."""
    shown = shown_path(config.path)
    if not config.exists:
        return (
            f"{config.path}\nThere is no config file yet; Tend uses its usual settings. To make one, create "
            f"{shown} (see README, \"Settings\")."
        )
    lines = [str(config.path)]
    problems = config.problems + (config.keymap(*keys)[1] if keys is not None and config.keys else [])
    lines += problems or ["It reads well."]
    return "\n".join(lines)
