"""Cleaning user text on the way in.

Every piece of text a person types, pastes or imports passes through :func:`clean_text`
before it is stored. It removes whatever could reach the terminal as a control: whole
escape sequences (CSI, OSC, DCS...), C0 and C1 control characters, DEL, bidi overrides and
isolates, and invisible characters (zero-width, tag characters, Hangul fillers, Arabic
number signs); line and paragraph separators become newlines (or spaces in one-line text). Joiners (ZWJ, ZWNJ) stay, because emoji
sequences and some scripts need them. The result is NFC-normalised, trimmed and capped.

The store also cleans records it reads from a file that may hold text it did not clean
(:func:`json_may_hold_unclean_text`), and the app strips controls from every paste and
notification (:func:`strip_controls`). Screens still show user text as data
(``Content``/``Text``, never markup); cleaning is the second wall, not the only one.
"""

from __future__ import annotations

import re
import unicodedata

NAME_LIMIT = 120
"""Longest name, title or single-line field, in characters."""

NOTE_LIMIT = 4000
"""Longest note or message template, in characters."""

# ESC followed by a CSI / OSC / DCS / SOS / PM / APC string, or a two-character escape.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI ... final byte
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|$)  # OSC, DCS, SOS, PM, APC ... BEL or ST
    | \x9b[0-?]*[ -/]*[@-~]?            # 8-bit CSI
    | [\x90\x9d\x98\x9e\x9f].*?(?:\x07|\x9c|\x1b\\|$)  # 8-bit OSC, DCS...
    | \x1b[ -/]*[0-~]?                  # any other escape
    """,
    re.VERBOSE | re.DOTALL,
)

# Bidi embeddings, overrides, isolates and marks; invisible formatting characters.
_INVISIBLE = frozenset(
    [
        *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
        *range(0x2066, 0x206A),  # LRI RLI FSI PDI
        0x200E,  # LRM
        0x200F,  # RLM
        0x061C,  # ALM
        0x200B,  # zero width space
        0x2060,  # word joiner
        *range(0x2061, 0x2065),  # invisible operators
        *range(0x206A, 0x2070),  # deprecated format controls
        0xFEFF,  # BOM / zero width no-break space
        0x180E,  # Mongolian vowel separator
        0x00AD,  # soft hyphen
        *range(0xFFF9, 0xFFFC),  # interlinear annotation
        *range(0x0600, 0x0606),  # Arabic number signs (prepended marks that draw nothing alone)
        0x115F,  # Hangul choseong filler
        0x1160,  # Hangul jungseong filler
        0x3164,  # Hangul filler
        0xFFA0,  # halfwidth Hangul filler
        *range(0xE0000, 0xE0080),  # tag characters (invisible; can carry hidden text)
    ]
)

_LINE_BREAKS = frozenset("\u2028\u2029")
"""Line and paragraph separators: a line break in notes, a space in one-line text (as a
newline is), so no terminal is left to decide what they do."""


def _keep(char: str, multiline: bool) -> str:
    code = ord(char)
    if char == "\n":
        return "\n" if multiline else " "
    if char == "\t":
        return "\t" if multiline else " "
    if char in _LINE_BREAKS:
        return "\n" if multiline else " "
    if code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F:
        return ""
    if 0xD800 <= code <= 0xDFFF:  # lone surrogates cannot be written as UTF-8
        return ""
    if code in _INVISIBLE:
        return ""
    return char


def strip_controls(text: str, *, multiline: bool = True) -> str:
    """``text`` without escape sequences and control, bidi or invisible characters.

    Unlike :func:`clean_text` it keeps surrounding spaces and any length, so it suits text
    on its way into a field that is still being edited (a paste).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return "".join(_keep(char, multiline) for char in text)


def clean_text(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """Return ``text`` made safe to store and show.

    Args:
        text: Anything; ``None`` becomes ``""`` and other non-strings are converted.
        multiline: Keep newlines and tabs (notes, templates). Otherwise they become spaces.
        limit: Cap on length in characters. Defaults to ``NOTE_LIMIT`` for multi-line text
            and ``NAME_LIMIT`` otherwise.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if limit is None:
        limit = NOTE_LIMIT if multiline else NAME_LIMIT
    text = unicodedata.normalize("NFC", strip_controls(text, multiline=multiline))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = text.strip()
    if len(text) > limit:
        text = text[:limit].rstrip()
    return text


def clean_lines(lines: object, *, limit: int = NAME_LIMIT, max_lines: int = 20) -> list[str]:
    """Clean a list of single-line strings (or one multi-line string), dropping empty ones."""
    if lines is None:
        return []
    if isinstance(lines, str):
        lines = lines.split("\n")
    if not isinstance(lines, (list, tuple)):
        lines = [lines]
    cleaned = [clean_text(line, limit=limit) for line in lines]
    return [line for line in cleaned if line][:max_lines]


# What a JSON file written by Tend never holds, because its text was cleaned: the escapes
# \u, \b, \f, \r (orjson writes control characters that way, and \n \t only for newlines
# and tabs; a typed backslash is doubled), DEL, and the UTF-8 of C1 controls, bidi controls
# and invisible characters. Emoji joiners are left out so ordinary data stays on the fast path.
# The check runs on every start, over the whole file, so it is built from the fastest bytes
# operations: one regular expression with a look-behind took 73 ms over three years of data.
_UNCLEAN_UTF8 = re.compile(
    rb"""
    \xc2[\x80-\x9f\xad]               # C1 controls, soft hyphen
    | \xd8\x9c                           # ALM
    | \xe1\xa0\x8e                       # Mongolian vowel separator
    | \xe2\x80[\x8b\x8e\x8f\xa8-\xae]    # zero width space, LRM, RLM, line/paragraph separators, LRE..RLO
    | \xe2\x81[\xa0-\xa4\xa6-\xaf]        # word joiner, invisible operators, isolates (not U+2065)
    | \xef\xbb\xbf | \xef\xbf[\xb9-\xbb]  # BOM, interlinear annotation
    | \xd8[\x80-\x85]                    # Arabic number signs U+0600..U+0605
    | \xe1\x85[\x9f\xa0] | \xe3\x85\xa4 | \xef\xbe\xa0  # Hangul fillers
    | \xf3\xa0[\x80\x81][\x80-\xbf]       # tag characters U+E0000..U+E007F
    """,
    re.VERBOSE,
)
_BACKSLASH = 0x5C
_CONTROL_ESCAPES = frozenset(b"ubfr")


def json_may_hold_unclean_text(raw: bytes) -> bool:
    """True when JSON bytes may hold a character :func:`clean_text` removes (newlines and
    tabs aside): a file edited by hand or written by another program. False guarantees
    they hold none."""
    if b"\x7f" in raw:
        return True
    size = len(raw)
    start = raw.find(b"\\")
    while start != -1:  # a run of backslashes escapes a control when it has an odd length
        end = start + 1
        while end < size and raw[end] == _BACKSLASH:
            end += 1
        if (end - start) % 2 and end < size and raw[end] in _CONTROL_ESCAPES:
            return True
        start = raw.find(b"\\", end)
    return not raw.isascii() and _UNCLEAN_UTF8.search(raw) is not None


def visible_controls(text: str, *, limit: int = 1000) -> str:
    """``text`` with every character :func:`clean_text` would take out or change (newlines
    and tabs too) written as a visible escape, ``\\x1b`` or ``\\u202e``: for text that must
    be shown as it is, such as a path, yet never act on the terminal. Undecodable bytes
    (kept by Python as lone surrogates) show as ``\\xff``. Capped at ``limit``."""
    out = []
    for char in text:
        if _keep(char, False) == char:
            out.append(char)
            continue
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            code -= 0xDC00
        out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    shown = "".join(out)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def visible_message(text: str) -> str:
    """A message (which may quote a path or a name) ready for the terminal: its lines kept,
    any control in them made visible with :func:`visible_controls`."""
    return "\n".join(visible_controls(line, limit=100_000) for line in text.split("\n"))


def is_clean(text: str) -> bool:
    """True when ``text`` holds no character :func:`clean_text` would remove."""
    return all(_keep(char, True) == char for char in text) and "\x1b" not in text
