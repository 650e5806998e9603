"""Can this terminal show Unicode? One decision for every screen, and the ASCII to use if not.

The locale says what the terminal can show: ``LC_ALL``, else ``LC_CTYPE``, else ``LANG``. A
locale that is not UTF-8 (``C``, ``POSIX``, ``en_US.ISO-8859-1``, or none at all) means a
terminal that may show box drawing, block shades and ``»`` as garbage, so Tend draws in
plain ASCII there. Python itself turns a ``C`` locale into ``C.UTF-8`` (PEP 538) by setting
``LC_CTYPE``; that is recognised and not taken as the person's choice.

``TEND_ASCII=1`` forces ASCII on any terminal, ``TEND_ASCII=0`` forces Unicode (for a
terminal that shows UTF-8 though the locale says otherwise).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

_TRUE = {"1", "yes", "true", "on"}
_FALSE = {"0", "no", "false", "off"}


def _is_utf8(locale_name: str) -> bool:
    lowered = locale_name.lower().replace("-", "")
    return "utf8" in lowered


def locale_name(environ: Mapping[str, str] | None = None) -> str:
    """The locale that decides the character set, as the person set it ("" if none)."""
    env = os.environ if environ is None else environ
    if env.get("LC_ALL"):
        return env["LC_ALL"]
    lang = env.get("LANG", "")
    ctype = env.get("LC_CTYPE", "")
    if ctype == "C.UTF-8" and lang.split(".")[0] in ("", "C", "POSIX"):
        return lang  # Python's own coercion of a C locale (PEP 538), not the person's setting
    return ctype or lang


def unicode_ok(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this terminal can show Unicode: TEND_ASCII if set, else the locale."""
    env = os.environ if environ is None else environ
    forced = env.get("TEND_ASCII", "").strip().lower()
    if forced in _TRUE:
        return False
    if forced in _FALSE:
        return True
    return _is_utf8(locale_name(env))


def why(environ: Mapping[str, str] | None = None) -> str:
    """A plain sentence on the decision, for ``tend doctor``."""
    env = os.environ if environ is None else environ
    forced = env.get("TEND_ASCII", "").strip().lower()
    name = locale_name(env) or "not set"
    if forced in _TRUE:
        return "TEND_ASCII is set: Tend draws in plain ASCII."
    if forced in _FALSE:
        return f"TEND_ASCII=0: Tend draws in Unicode whatever the locale ({name})."
    if _is_utf8(name):
        return f"Locale: {name}, so Tend draws lines and symbols in Unicode."
    return (
        f"Locale: {name}, not UTF-8, so Tend draws in plain ASCII. If your terminal shows "
        "UTF-8, set LANG to a UTF-8 locale (or TEND_ASCII=0)."
    )


@lru_cache(maxsize=1)
def use_unicode() -> bool:
    """The decision for this run (the environment does not change while Tend runs)."""
    return unicode_ok()


KEY_WORDS: dict[str, str] = {"⏎": "enter", "⌫": "backspace", "↑": "up", "↓": "down", "←": "left", "→": "right"}
"""Textual's key symbols as words: in a sentence always, in key hints where the terminal
cannot show Unicode (enter and backspace; the arrows have ASCII stand-ins below)."""


ASCII_FOR: dict[str, str] = {
    # box drawing: corners and joins become "+", lines "-" and "|"
    **dict.fromkeys("╭╮╰╯┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╋", "+"),
    **dict.fromkeys("─━═╌╍┄┅┈┉╴╶╸╺", "-"),
    **dict.fromkeys("│┃║╎╏┆┇┊┋╵╷╹╻", "|"),
    # edges Textual draws with blocks (tall/wide/outer borders, footer, scrollbars)
    **dict.fromkeys("▏▕▎▍▌▋▊▉▐", "|"),
    **dict.fromkeys("▔▀", "-"),
    **dict.fromkeys("▁▂▃▄▅▆▇", "_"),
    "█": "#",
    # shades: the breathing figure and the scan sparklines
    "░": ".",
    "▒": ":",
    "▓": "#",
    # symbols Tend uses
    "»": ">",
    "«": "<",
    "·": ".",
    "•": "*",
    "…": "...",
    "—": "-",
    "–": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "→": "->",
    "←": "<-",
    "↑": "^",
    "↓": "v",
    "▶": ">",
    "▼": "v",
    "▲": "^",
    "⏎": "enter",
    "⌫": "backspace",
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "×": "x",
    "🔎": "?",
}


@lru_cache(maxsize=4096)
def ascii_char(char: str) -> str:
    """One character as ASCII taking the same number of cells (so the layout holds)."""
    from rich.cells import cell_len

    if char.isascii():
        return char
    width = cell_len(char)
    if width == 0:
        return ""
    plain = ASCII_FOR.get(char)
    if plain is None:
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        plain = base or "?"
    if len(plain) > width:
        plain = plain[0] if width == 1 or len(plain) == 1 else plain[:width]
    return plain.ljust(width)


def to_ascii(text: str) -> str:
    """``text`` with every character outside ASCII replaced, cell for cell."""
    if text.isascii():
        return text
    return "".join(ascii_char(char) for char in text)


class AsciiStream:
    """A text stream that writes only ASCII to the one it wraps (see :func:`to_ascii`).

    Tend's screens already choose ASCII glyphs on such a terminal; this catches what the
    toolkit draws itself (borders, scrollbars, the footer's edge, the palette's icon).
    """

    def __init__(self, stream: Any) -> None:
        # Any: it wraps sys.__stderr__, a TextIO typed Optional (None only where there is no
        # terminal, and so nothing to wrap), and passes every other attribute through to it.
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(to_ascii(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
