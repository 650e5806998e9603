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
from collections.abc import Iterable, Mapping, MutableMapping
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
_KEY = re.compile(r"[^\s,]{1,40}")


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

    def unknown_binding_ids(self, known: Iterable[str]) -> list[str]:
        """A line for each ``[keys]`` id that no key of Tend has (it changes nothing)."""
        known_ids = set(known)
        return [
            f"{self.where('keys.' + binding)}: no key of Tend has the id {binding!r}, so that line changes "
            "nothing. 'tend config --keys' lists every id."
            for binding in self.keys
            if binding not in known_ids
        ]


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


def _take_keys(config: Config, value: object, text: str, note: Any) -> None:
    if not isinstance(value, dict):
        note("keys", "", "keys", "keys should be a table: [keys] on a line of its own, then \"binding.id\" = \"key\" lines.")
        return
    for binding, keys in value.items():
        name = f"keys.{binding}"
        line = _line_of(text, "keys", binding)
        if line:
            config.lines[name] = line
        shown = clean_text(binding, limit=40)
        if not _BINDING_ID.fullmatch(binding):
            note(name, "keys", binding, f"{shown!r} is not a binding id (they look like \"app.quit\"); that line is left out.")
        elif not isinstance(keys, str) or not all(_KEY.fullmatch(k.strip()) for k in keys.split(",")):
            note(name, "keys", binding, f"the keys for {shown!r} should be in quotes, like \"ctrl+q\" or \"f2,B\"; "
                 "that key keeps its usual place.")
        else:
            config.keys[binding] = ",".join(k.strip() for k in keys.split(","))


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


def describe(config: Config) -> str:
    """``tend config``: where the file lives, whether it is there, and what is wrong with it."""
    shown = shown_path(config.path)
    if not config.exists:
        return (
            f"{config.path}\nThere is no config file yet; Tend uses its usual settings. To make one, create "
            f"{shown} (see README, \"Settings\")."
        )
    lines = [str(config.path)]
    lines += config.problems or ["It reads well."]
    return "\n".join(lines)
