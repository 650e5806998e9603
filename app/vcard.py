"""Address books in and out: vCard 2.1, 3.0 and 4.0 import; vCard 3.0 export.

Reading uses vobject for the fiddly parts of the format (content lines and their
parameters, quoted-printable text in any declared charset, folding on output). Tend unfolds
lines and decodes the few properties it uses itself, because vobject's text decoding cuts a
vCard 2.1 value at its first comma, and its unfolding mis-numbers lines and drops folded
runs of spaces.

* :func:`parse_vcards` turns the text of a ``.vcf`` file into :class:`VcardPerson` records
  (everything cleaned like typed text) plus the cards it had to leave out, with why.
  A file whose structure cannot be read raises :class:`VcardError` and yields nothing, so
  an import is all or nothing.
* :func:`split_duplicates` keeps out people already present: the same name (any case) and
  at least one shared phone number (digits only) or email address (any case). Each person is
  cleaned and indexed once, so a file of 20,000 cards takes as long per card as one of 200.
  Against the store's colleagues (:func:`known_colleagues`) a card is also already there when
  its UID is a colleague's uid, or when it says exactly what a colleague's card says (name,
  role, how to reach them, notes, tags): Tend's own export of someone with only a Signal
  handle comes back as the same person.
* :func:`import_vcard_file` reads, parses and checks for duplicates without the store's lock,
  reporting ``progress(done, total)`` and stopping (:class:`ImportCancelled`, nothing written)
  when ``cancel`` is set; it takes the lock only for the final write, after a cheap check that
  no other Tend saved meanwhile (if one did, the duplicates are checked again, under the lock).
* :func:`write_vcards` writes vCard 3.0 that ordinary address books open and that
  :func:`parse_vcards` reads back to the same data. Each "how to reach" line becomes TEL,
  EMAIL or IMPP when it is just that, else Tend's own ``X-TEND-REACH``, in the same order.

What Tend takes from a card: the name from FN (or N, or ORG), phones (TEL), emails (EMAIL),
chat handles (IMPP) and Tend's own ``X-TEND-REACH`` lines in the card's order as "how to
reach them"; NOTE as notes; ROLE or TITLE as the role (a job title that is not one of Tend's
roles is kept as the first line of the notes); CATEGORIES as tags; UID (without ``urn:uuid:``)
as the colleague's uid; NICKNAME, else N's given name when N has a family name too, as the
name they are called by. Tend writes UID always and NICKNAME when a call name was set.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from pendulum import Date
from vobject.base import ContentLine, VObjectError, backslashEscape, parseLine

from app.files import (
    ExchangeError,
    bom_encoding,
    check_user_file,
    read_user_file,
    refuse_unreadable_size,
    write_private,
)
from app.models import MAX_YEAR, MIN_YEAR, Colleague
from app.people import BIRTHDAY_YEAR, DEFAULT_ROLE, ROLES, role_label
from app.storage import Store
from app.textclean import NAME_LIMIT, NOTE_LIMIT, clean_lines, clean_text

__all__ = [
    "VcardError", "VcardPerson", "VcardResult", "parse_vcards", "read_vcard_file",
    "write_vcards", "same_person", "split_duplicates", "phone_digits", "emails_in",
    "MAX_FILE_BYTES", "VcardImportReport", "import_vcards", "import_vcard_file",
    "export_vcf", "colleague_from", "ImportCancelled", "VcardImport", "prepare_vcard_import",
    "commit_vcard_import", "known_colleagues", "check_vcard_file", "decode_vcard_bytes",
]  # fmt: skip

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest file :func:`read_vcard_file` accepts (address books with photos get big), and so
the largest :func:`export_vcf` writes: what Tend exports, it imports."""

PROGRESS_EVERY = 100
"""Cards read between two calls of ``progress`` (and two looks at ``cancel``)."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``: cards read so far, of about how many in the file."""

MAX_TAGS = 20
MAX_REACH = 20
_PRODID = "-//Tend//Tend colleagues//EN"
_REACH_PROPERTIES = frozenset({"TEL", "EMAIL", "IMPP", "X-TEND-REACH"})


class VcardError(ValueError):
    """The file cannot be read as vCards; nothing was imported. The message says why."""


class ImportCancelled(Exception):
    """The person stopped the import (``cancel`` was set); nothing was written."""


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled("Import stopped; nothing was added.")


@dataclass(frozen=True)
class VcardPerson:
    """One colleague as read from, or written to, a vCard."""

    name: str
    role: str = DEFAULT_ROLE
    reach: tuple[str, ...] = ()
    """Phones, emails and chat handles, one per line, in the card's order."""
    notes: str = ""
    tags: tuple[str, ...] = ()
    uid: str = ""
    """The card's UID ("" without one): the same person when it matches a colleague's uid."""
    call_name: str = ""
    """The name they go by: NICKNAME, else the given name of N when that is not the whole
    name ("" = derived from the name, see :func:`app.people.call_name`)."""
    birthday: Date | None = None
    """BDAY: a date, kept in :data:`app.people.BIRTHDAY_YEAR` when the card gives no year."""


@dataclass(frozen=True)
class VcardResult:
    """What a file held: the people read, and the cards left out as (where, why)."""

    people: list[VcardPerson] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


class _Person(Protocol):  # read-only, so a Colleague's lists fit
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def reach(self) -> Sequence[str]: ...
    @property
    def notes(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...


class _Named(Protocol):
    name: str
    reach: Sequence[str]


# Decoding values --------------------------------------------------------------------------


def _unescape(value: str) -> str:
    r"""Undo vCard text escaping (``\n``, ``\,``, ``\;``, ``\\``); other backslashes stay."""

    def one(match: re.Match[str]) -> str:
        char = match[1]
        if char in "nN":
            return "\n"
        if char in "\\,;:":
            return char
        return match[0]

    return re.sub(r"\\(.)", one, value, flags=re.DOTALL)


def _split(value: str, separator: str) -> list[str]:
    """Split on ``separator`` where it is not backslash-escaped, then unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return [_unescape(part) for part in parts]


def _text(line: ContentLine) -> str:
    value = line.value
    if isinstance(value, bytes):  # vobject leaves some encodings as bytes
        value = value.decode("utf-8", errors="replace")
    return str(value)


def _name_from_n(value: str) -> str:
    """"Family;Given;Additional;Prefix;Suffix" read in the order people say names."""
    parts = [" ".join(p.split(",")) for p in _split(value, ";")] + [""] * 5
    family, given, additional, prefix, suffix = (part.strip() for part in parts[:5])
    return " ".join(part for part in (prefix, given, additional, family, suffix) if part)


def _reach_value(line: ContentLine) -> str:
    value = _unescape(_text(line)).strip()
    if line.name == "TEL" and value[:4].lower() == "tel:":
        value = value[4:]
    elif line.name == "EMAIL" and value[:7].lower() == "mailto:":
        value = value[7:]
    return value


# Roles --------------------------------------------------------------------------------------

_ROLE_WORDS = (
    ("supervis", "supervisor"),
    ("mentor", "mentor"),
    ("consult", "consultation"),
    ("team", "team"),
    ("peer", "peer"),
    ("colleague", "peer"),
)


def _exact_role(text: str) -> str | None:
    wanted = text.casefold()
    for key, label in ROLES:
        if wanted in (key, label.casefold()):
            return key
    return None


def _role_and_title(titles: list[str]) -> tuple[str, list[str]]:
    """The role key for ROLE/TITLE texts, and the texts that are job titles to keep."""
    role: str | None = None
    kept: list[str] = []
    for title in titles:
        exact = _exact_role(title)
        if exact is not None:
            role = role or exact
            continue
        kept.append(title)
        folded = title.casefold()
        for word, key in _ROLE_WORDS:
            if word in folded:
                role = role or key
                break
    return role or DEFAULT_ROLE, kept


# Reading --------------------------------------------------------------------------------------


@dataclass
class _Card:
    number: int
    line: int
    lines: list[ContentLine] = field(default_factory=list)
    problem: str = ""


def _where(card: _Card) -> str:
    return f"card {card.number} (line {card.line})"


def _is_qp(logical: str) -> bool:
    """True when the property's parameters (before the first colon) ask for QP text."""
    head = logical.split(":", 1)[0]
    return "QUOTED-PRINTABLE" in head.upper()


def _logical_lines(text: str) -> Iterator[tuple[str, int]]:
    """Unfold ``text`` into (logical line, first physical line number).

    A line starting with a space or tab continues the one before (RFC 2425 folding). In a
    quoted-printable value, a line ending in ``=`` continues on the next line (vCard 2.1
    soft line breaks); the break is kept as ``=\n`` for the QP decoder to remove.
    """
    current: str | None = None
    start = 0
    soft_break = False
    for number, line in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if current is not None and soft_break:
            current += "\n" + line
        elif current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
        elif not line.strip():
            if current is not None:
                yield current, start
            current = None
        else:
            if current is not None:
                yield current, start
            current, start = line, number
        soft_break = current is not None and current.endswith("=") and _is_qp(current)
    if current is not None:
        yield current, start


def _read_cards(text: str) -> Iterator[_Card]:
    """Group content lines into cards, checking BEGIN/END structure as it goes.

    Cards are handed out as each one closes; a damaged structure raises :class:`VcardError`
    when it is found (possibly after some cards), so a caller keeps nothing until the end.
    """
    count = 0
    stack: list[str] = []
    card: _Card | None = None
    others: set[str] = set()
    for raw, number in _logical_lines(text):
        try:
            name, params, value, group = parseLine(raw, number)
        except VObjectError:
            raise VcardError(
                f"Line {number} is not vCard text, so nothing was imported. "
                "Is this a .vcf address book file?"
            ) from None
        name = name.upper()
        if name == "BEGIN":
            kind = value.strip().upper()
            if not stack and kind == "VCARD":
                card = _Card(number=count + 1, line=number)
            elif not stack:
                others.add(kind)
            stack.append(kind)
            continue
        if name == "END":
            if not stack or stack[-1] != value.strip().upper():
                opened = f"{stack[-1]} card" if stack else "nothing"
                raise VcardError(
                    f"Line {number} closes {value.strip() or 'a card'} but {opened} is "
                    "open there. The file looks damaged, so nothing was imported."
                )
            stack.pop()
            if not stack and card is not None:
                count += 1
                yield card
                card = None
            continue
        if not stack:
            raise VcardError(
                f"Line {number} sits outside any contact card. The file looks damaged, "
                "so nothing was imported."
            )
        if card is None or len(stack) != 1 or name not in _WANTED:
            continue  # other calendars, embedded AGENT cards, photos, addresses...
        try:
            card.lines.append(
                ContentLine(name, params, value, group, encoded=True, lineNumber=number)
            )
        except Exception as error:  # unknown charset, bad quoted-printable, odd ENCODING
            card.problem = f"line {number} has text Tend cannot decode ({error})"
    if stack:
        raise VcardError(
            f"The {stack[0].lower()} card that starts near the end is never closed. The file "
            "looks cut short, so nothing was imported."
        )
    if not count:
        if "VCALENDAR" in others:
            raise VcardError("This looks like a calendar file, not an address book (.vcf).")
        raise VcardError("No contact cards found. Is this a vCard (.vcf) file?")


_CARD_START = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD", re.IGNORECASE | re.MULTILINE)


_WANTED = frozenset({"FN", "N", "ORG", "NOTE", "ROLE", "TITLE", "CATEGORIES", "UID", "NICKNAME", "BDAY"}) | (
    _REACH_PROPERTIES
)


def _values(card: _Card, name: str) -> list[str]:
    return [_unescape(_text(line)).strip() for line in card.lines if line.name == name]


def _person(card: _Card) -> VcardPerson | str:
    """The person on a card, or why the card cannot be used."""
    if card.problem:
        return card.problem
    names = [clean_text(v, limit=NAME_LIMIT) for v in _values(card, "FN")]
    names += [clean_text(_name_from_n(_text(line)), limit=NAME_LIMIT)
              for line in card.lines if line.name == "N"]  # fmt: skip
    names += [clean_text(" ".join(_split(_text(line), ";")), limit=NAME_LIMIT)
              for line in card.lines if line.name == "ORG"]  # fmt: skip
    name = next((n for n in names if n), "")
    if not name:
        return "it has no name Tend can read"
    reach_lines = sorted(
        (line for line in card.lines if line.name in _REACH_PROPERTIES),
        key=lambda line: line.lineNumber or 0,
    )
    reach = _dedupe(clean_lines([_reach_value(line) for line in reach_lines], max_lines=MAX_REACH))
    titles = [clean_text(v) for name in ("ROLE", "TITLE") for v in _values(card, name)]
    role, kept_titles = _role_and_title([t for t in titles if t])
    notes = "\n\n".join(v for v in _values(card, "NOTE") if v.strip())
    if kept_titles:
        notes = "\n".join([", ".join(_dedupe(kept_titles)), notes]).strip()
    tags = [
        clean_text(tag)
        for line in card.lines
        if line.name == "CATEGORIES"
        for tag in _split(_text(line), ",")
    ]
    return VcardPerson(
        name=name,
        role=role,
        reach=tuple(reach),
        notes=clean_text(notes, multiline=True, limit=NOTE_LIMIT),
        tags=tuple(_dedupe([t for t in tags if t])[:MAX_TAGS]),
        uid=next((uid for uid in map(_uid_from, _values(card, "UID")) if uid), ""),
        call_name=_call_name_from(card, name),
        birthday=next((day for day in map(birthday_from, _values(card, "BDAY")) if day is not None), None),
    )


_BDAY = re.compile(r"(?P<year>\d{4}|--)-?(?P<month>\d{2})-?(?P<day>\d{2})(?:T.*)?")
APPLE_NO_YEAR = 1604
"""The year Apple's Contacts writes for a birthday without one (with X-APPLE-OMIT-YEAR)."""


def birthday_from(value: str) -> Date | None:
    """A card's BDAY as Tend keeps a birthday: "1985-03-14", "19850314" (a time after it is
    dropped); "--03-14", "--0314" or Apple's 1604 for a day without its year, kept in
    :data:`~app.people.BIRTHDAY_YEAR`. None for anything else (never a guess)."""
    found = _BDAY.fullmatch(value.strip())
    if found is None:
        return None
    year = found.group("year")
    month, day = int(found.group("month")), int(found.group("day"))
    number = BIRTHDAY_YEAR if year == "--" or int(year) == APPLE_NO_YEAR else int(year)
    if not MIN_YEAR <= number <= MAX_YEAR:
        return None
    try:
        return Date(number, month, day)
    except ValueError:  # 30 Feb, month 13
        return None


def bday_value(day: Date) -> str:
    """A birthday as a card's BDAY: "--03-14" when Tend keeps no year for it."""
    return f"--{day:%m-%d}" if day.year == BIRTHDAY_YEAR else day.isoformat()


_URN = re.compile(r"^urn:uuid:", re.IGNORECASE)
UID_LIMIT = 200


def _uid_from(value: str) -> str:
    """A card's UID as Tend keeps it: cleaned, without a ``urn:uuid:`` prefix."""
    return clean_text(_URN.sub("", value.strip()), limit=UID_LIMIT)


def _call_name_from(card: _Card, name: str) -> str:
    """NICKNAME (its first name), else the given name from N when N also has a family name
    (an N of the given name alone, as Tend writes, is the whole name: nothing to take)."""
    for value in _values(card, "NICKNAME"):
        nickname = clean_text(next((part for part in _split(value, ",") if part.strip()), ""), limit=NAME_LIMIT)
        if nickname:
            return nickname
    for line in card.lines:
        if line.name == "N":
            parts = [*_split(_text(line), ";"), "", ""]
            family = clean_text(parts[0])
            given = clean_text(" ".join(parts[1].split(",")), limit=NAME_LIMIT)
            return given if family and given and _name_key(given) != _name_key(name) else ""
    return ""


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
    return kept


def parse_vcards(
    text: str, *, progress: Progress | None = None, cancel: threading.Event | None = None
) -> VcardResult:
    """Read every contact card in ``text`` (vCard 2.1, 3.0 or 4.0).

    Cards without a usable name (or with text that cannot be decoded) are left out and
    listed in ``rejected`` as ``(where, why)``. ``progress(done, total)`` is called at the
    start, every :data:`PROGRESS_EVERY` cards and at the end (``total`` is counted ahead
    from the lines that open a card, so it may be a little off until the end).

    Raises:
        VcardError: the file is empty or damaged (unreadable lines, cards never closed,
            no cards at all). Nothing is returned in that case.
        ImportCancelled: ``cancel`` was set.
    """
    if not isinstance(text, str):
        raise VcardError("Tend needs the text of a .vcf file.")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise VcardError("The file is empty.")
    result = VcardResult()
    total = len(_CARD_START.findall(text)) if progress is not None else 0
    if progress is not None:
        progress(0, total)
    done = 0
    for card in _read_cards(text):
        person = _person(card)
        if isinstance(person, str):
            result.rejected.append((_where(card), person))
        else:
            result.people.append(person)
        done += 1
        if done % PROGRESS_EVERY == 0:
            _check(cancel)
            if progress is not None:
                progress(done, max(done, total))
    _check(cancel)
    if progress is not None:
        progress(done, done)
    return result


def read_vcard_file(
    path: str | Path, *, progress: Progress | None = None, cancel: threading.Event | None = None
) -> VcardResult:
    """Read a ``.vcf`` file from disk (see :func:`decode_vcard_bytes` for the encodings).

    Raises:
        VcardError: the file cannot be opened, is too big, or is not readable vCard text.
        ImportCancelled: ``cancel`` was set (see :func:`parse_vcards`).
    """
    data = read_user_file(Path(path), limit=MAX_FILE_BYTES, too_big=_TOO_BIG, error=VcardError)
    _check(cancel)
    return parse_vcards(decode_vcard_bytes(data), progress=progress, cancel=cancel)


_TOO_BIG = "That file is too big to be an address book (over 50 MB)."


def check_vcard_file(path: str | Path) -> None:
    """Raise :class:`VcardError` unless ``path`` is an ordinary file small enough to import.
    Reads nothing, so a prompt can call it as the path is entered."""
    check_user_file(Path(path), limit=MAX_FILE_BYTES, too_big=_TOO_BIG, error=VcardError)


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when the zero bytes fall on every other byte, as
    mostly-ASCII text (vCard keywords are ASCII) does in UTF-16; else None."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def decode_vcard_bytes(data: bytes) -> str:
    """The text of a ``.vcf`` file: as its byte order mark says (UTF-8, UTF-16 or UTF-32),
    else UTF-16 when every other byte is zero (Windows and old phones write that with no
    mark), else UTF-8, else Windows-1252.

    Raises:
        VcardError: the bytes are not text (a zero byte near the start, outside UTF-16).
    """
    marked = bom_encoding(data)
    encoding, skip = marked if marked is not None else (_utf16_without_bom(data), 0)
    not_text = "This is not a text file, so it cannot be a vCard address book."
    if encoding is not None and encoding != "utf-8":
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError:
            raise VcardError(not_text) from None
        if "\x00" in text[:4096]:
            raise VcardError(not_text)
        return text
    if b"\x00" in data[:4096]:
        raise VcardError(not_text)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# Duplicates ------------------------------------------------------------------------------------

_PHONE = re.compile(r"\+?\d[\d\s().\-/]{4,}\d")
_EMAIL = re.compile(r"[^\s<>@,;:\"'()\[\]]+@[^\s<>@,;:\"'()\[\]]+\.[^\s<>@,;:\"'()\[\]]+")


def phone_digits(lines: Iterable[str]) -> set[str]:
    """The digits of every phone number (7 digits or more) found in ``lines``."""
    found: set[str] = set()
    for line in lines:
        for match in _PHONE.finditer(line):
            digits = re.sub(r"\D", "", match[0])
            if len(digits) >= 7:
                found.add(digits)
    return found


def emails_in(lines: Iterable[str]) -> set[str]:
    """Every email address in ``lines``, lower-cased."""
    return {match[0].casefold() for line in lines for match in _EMAIL.finditer(line)}


def _same_number(a: str, b: str) -> bool:
    """Equal digits, or the same last digits when one has a country or trunk prefix."""
    if a == b:
        return True
    tail = min(len(a), len(b), 9)
    return tail >= 7 and a[-tail:] == b[-tail:]


def same_person(name_a: str, reach_a: Iterable[str], name_b: str, reach_b: Iterable[str]) -> bool:
    """Same name (ignoring case and spacing) and one shared phone number or email."""
    if " ".join(clean_text(name_a).casefold().split()) != " ".join(
        clean_text(name_b).casefold().split()
    ):
        return False
    reach_a, reach_b = list(reach_a), list(reach_b)
    if emails_in(reach_a) & emails_in(reach_b):
        return True
    return any(
        _same_number(a, b) for a in phone_digits(reach_a) for b in phone_digits(reach_b)
    )


def _name_key(name: str) -> str:
    return " ".join(clean_text(name).casefold().split())


class _Known:
    """People already known, indexed so that :func:`same_person` against all of them is a few
    set look-ups: by cleaned name with each email, and with each phone number's last 7, 8 or 9
    digits (two numbers match on the last ``min(len(a), len(b), 9)`` digits)."""

    def __init__(self) -> None:
        self._keys: set[tuple[str, str, str]] = set()

    @staticmethod
    def facts(name: str, reach: Iterable[str]) -> tuple[str, set[str], set[str]]:
        lines = [line for line in reach if isinstance(line, str)]
        return _name_key(name), emails_in(lines), phone_digits(lines)

    def add(self, facts: tuple[str, set[str], set[str]]) -> None:
        name, emails, phones = facts
        keys = self._keys
        for email in emails:
            keys.add((name, "@", email))
        for phone in phones:
            length = min(len(phone), 9)
            for tail in range(7, length + 1):  # for numbers at least this long
                keys.add((name, f">{tail}", phone[-tail:]))
            if length < 9:  # for longer numbers, which match on this one's whole length
                keys.add((name, f"={length}", phone))

    def has(self, facts: tuple[str, set[str], set[str]]) -> bool:
        name, emails, phones = facts
        keys = self._keys
        if any((name, "@", email) in keys for email in emails):
            return True
        for phone in phones:
            length = min(len(phone), 9)
            if (name, f">{length}", phone[-length:]) in keys:
                return True
            if any((name, f"={tail}", phone[-tail:]) in keys for tail in range(7, length)):
                return True
        return False


def _split_known(
    people: Iterable[VcardPerson], existing: Iterable[tuple[Any, ...]]
) -> tuple[list[VcardPerson], list[VcardPerson]]:
    known = _Known()
    uids: set[str] = set()
    cards: set[tuple[object, ...]] = set()
    for entry in existing:
        name, reach = entry[0], entry[1]
        if not isinstance(name, str):
            continue
        reach = reach if isinstance(reach, (list, tuple)) else ()
        known.add(known.facts(name, reach))
        if len(entry) >= 6:  # a stored colleague (see known_colleagues): uid and whole card
            _, _, role, notes, tags, uid = entry[:6]
            if isinstance(uid, str) and uid:
                uids.add(uid)
            cards.add(_card_key(name, role, reach, notes, tags))
    new: list[VcardPerson] = []
    duplicates: list[VcardPerson] = []
    from_file: dict[str, str] = {}  # a uid given to someone earlier in this file: their name
    for person in people:
        if person.uid and from_file.get(person.uid, _name_key(person.name)) != _name_key(person.name):
            person = replace(person, uid="")  # one UID on two people's cards: each their own person
        facts = known.facts(person.name, person.reach)
        if (person.uid and person.uid in uids) or known.has(facts):
            duplicates.append(person)
        elif cards and _card_key(person.name, person.role, person.reach, person.notes, person.tags) in cards:
            duplicates.append(person)  # no email or phone, but every field the same: the same person
        else:
            new.append(person)
            known.add(facts)
            if person.uid:
                uids.add(person.uid)
                from_file[person.uid] = _name_key(person.name)
    return new, duplicates


def _card_key(name: object, role: object, reach: object, notes: object, tags: object) -> tuple[object, ...]:
    """What a card says, as Tend would import it: equal for a colleague and their own card."""

    def lines(value: object) -> tuple[str, ...]:
        return tuple(clean_lines([v for v in value if isinstance(v, str)])) if isinstance(value, (list, tuple)) else ()

    def text(value: object, **options: object) -> str:
        return clean_text(value, **options) if isinstance(value, str) else ""  # type: ignore[arg-type]  # clean_text's own keywords

    return (
        _name_key(name) if isinstance(name, str) else "",
        role if isinstance(role, str) else DEFAULT_ROLE,
        lines(reach),
        text(notes, multiline=True, limit=NOTE_LIMIT),
        lines(tags),
    )


def split_duplicates(
    people: Iterable[VcardPerson], existing: Iterable[_Named] = ()
) -> tuple[list[VcardPerson], list[VcardPerson]]:
    """Split ``people`` into (new, duplicates) against ``existing`` and each other.

    The same answer as asking :func:`same_person` of every pair, in time that grows with
    the number of people, not with its square.
    """
    return _split_known(people, ((item.name, list(item.reach)) for item in existing))


# Writing ------------------------------------------------------------------------------------------

_WHOLE_EMAIL = re.compile(r"[^\s<>@,;:\"'()\[\]]+@[^\s<>@,;:\"'()\[\]]+\.[^\s<>@,;:\"'()\[\]]+")
_WHOLE_PHONE = re.compile(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*")


_CHAT = re.compile(r"(?:xmpp|sip|sips|skype|matrix|im|irc|ircs|aim|ymsgr|msnim):\S+", re.I)


def _reach_property(line: str) -> str:
    """TEL, EMAIL or IMPP for lines that are just that; Tend's own X-TEND-REACH otherwise."""
    if _WHOLE_EMAIL.fullmatch(line):
        return "EMAIL"
    if _CHAT.fullmatch(line):
        return "IMPP"
    if _WHOLE_PHONE.fullmatch(line) and len(re.sub(r"\D", "", line)) >= 3:
        return "TEL"
    return "X-TEND-REACH"


def _line(name: str, value: str) -> str:
    """One property, folded at 75 bytes by vobject; ``value`` is already escaped."""
    text: str = ContentLine(name, [], value).serialize()
    return text


def _card(person: _Person) -> str:
    name = clean_text(person.name, limit=NAME_LIMIT)
    parts = [
        "BEGIN:VCARD\r\n",
        _line("VERSION", "3.0"),
        _line("PRODID", _PRODID),
    ]
    uid = _uid_from(getattr(person, "uid", "") or "")
    if uid:
        parts.append(_line("UID", backslashEscape(uid)))
    parts += [
        _line("FN", backslashEscape(name)),
        _line("N", ";" + backslashEscape(name) + ";;;"),
    ]
    nickname = clean_text(getattr(person, "call_name", "") or "", limit=NAME_LIMIT)
    if nickname:
        parts.append(_line("NICKNAME", backslashEscape(nickname)))
    parts.append(_line("ROLE", backslashEscape(role_label(person.role))))
    for reach in clean_lines(list(person.reach), max_lines=MAX_REACH):
        parts.append(_line(_reach_property(reach), backslashEscape(reach)))
    notes = clean_text(person.notes, multiline=True, limit=NOTE_LIMIT)
    if notes:
        parts.append(_line("NOTE", backslashEscape(notes)))
    tags = [clean_text(tag) for tag in person.tags]
    if any(tags):
        parts.append(_line("CATEGORIES", ",".join(backslashEscape(t) for t in tags if t)))
    birthday = getattr(person, "birthday", None)
    if birthday is not None:
        parts.append(_line("BDAY", bday_value(birthday)))
    parts.append("END:VCARD\r\n")
    return "".join(parts)


def write_vcards(people: Iterable[_Person]) -> str:
    """All ``people`` as vCard 3.0 text (CRLF line ends, lines folded at 75 bytes).

    ``people`` are records with ``name``, ``role``, ``reach``, ``notes`` and ``tags``
    (a :class:`VcardPerson` or a stored colleague).
    """
    return "".join(_card(person) for person in people)


# The store: `tend import FILE.vcf`, `tend export --format vcf`, and the screen's import ----------


@dataclass
class VcardImportReport:
    """What an import did: names added, names skipped as already present, cards left out."""

    source: str
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def summary(self, *, limit: int = 10) -> str:
        """A few plain lines for the terminal or a dialog."""
        lines = [
            f"Added {_count(len(self.added))} from {self.source}."
            if self.added
            else f"No new colleagues in {self.source}."
        ]
        if self.duplicates:
            names = ", ".join(self.duplicates[:limit])
            more = f" and {len(self.duplicates) - limit} more" if len(self.duplicates) > limit else ""
            lines.append(f"Skipped {len(self.duplicates)} already here: {names}{more}.")
        if self.rejected:
            lines.append(f"Left out {len(self.rejected)}:")
            lines += [f"  {where}: {why}" for where, why in self.rejected[:limit]]
            if len(self.rejected) > limit:
                lines.append(f"  ...and {len(self.rejected) - limit} more")
        return "\n".join(lines)


def _count(number: int) -> str:
    return "1 colleague" if number == 1 else f"{number} colleagues"


def colleague_from(person: VcardPerson) -> Colleague:
    """A new :class:`~app.models.Colleague` for an imported person (default cadence; their
    card's UID kept as theirs, so importing the card again finds them)."""
    return Colleague(
        name=person.name,
        role=person.role,
        reach=list(person.reach),
        notes=person.notes,
        tags=list(person.tags),
        uid=person.uid,
        call_name=person.call_name,
        birthday=person.birthday,
    )


def known_colleagues(store: Store) -> tuple[object, list[tuple[Any, ...]]]:
    """The store's change token, then each colleague's (name, reach, role, notes, tags, uid)
    as stored: what :func:`prepare_vcard_import` checks against. Cheap (no records built),
    for the UI thread."""
    token = store.token()  # first: a save after it shows as a changed token
    rows = store.columns(Colleague, "name", "reach", "role", "notes", "tags")
    return token, [(*row, uid) for row, uid in zip(rows, store.uids(Colleague), strict=True)]


@dataclass
class VcardImport:
    """An address book read and checked, ready for :func:`commit_vcard_import`."""

    source: str
    result: VcardResult
    new: list[VcardPerson]
    duplicates: list[VcardPerson]
    token: object
    """The store's token when the colleagues checked against were read."""


def prepare_vcard_import(
    path: str | Path,
    known: tuple[object, list[tuple[Any, ...]]],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> VcardImport:
    """Read ``path`` and sort its people into new and already known (``known`` is
    :func:`known_colleagues`). Touches no store, so it may run in a worker thread.

    Raises:
        ExchangeError: the file cannot be read as vCards.
        ImportCancelled: ``cancel`` was set.
    """
    try:
        result = read_vcard_file(path, progress=progress, cancel=cancel)
    except VcardError as error:
        raise ExchangeError(str(error)) from None
    token, colleagues = known
    new, duplicates = _split_known(result.people, colleagues)
    _check(cancel)
    return VcardImport(Path(path).name, result, new, duplicates, token)


def commit_vcard_import(
    store: Store, prepared: VcardImport, *, cancel: threading.Event | None = None
) -> VcardImportReport:
    """Add the new people of ``prepared`` in one transaction: the only time the lock is held.

    If another Tend saved since the colleagues were read, the duplicates are checked again
    against what is there now (one pass); otherwise nothing is read again.

    Raises:
        ImportCancelled: ``cancel`` was set (nothing was written).
        StoreError: the store could not save (nothing was written).
    """
    new, duplicates = prepared.new, prepared.duplicates
    _check(cancel)
    with store.transaction():
        if store.token() != prepared.token:
            new, duplicates = _split_known(prepared.result.people, known_colleagues(store)[1])
        _check(cancel)
        for person in new:
            store.add(colleague_from(person))
    report = VcardImportReport(source=clean_text(prepared.source), rejected=list(prepared.result.rejected))
    report.added = [person.name for person in new]
    report.duplicates = [person.name for person in duplicates]
    return report


def import_vcards(store: Store, result: VcardResult, source: str) -> VcardImportReport:
    """Add the people in ``result`` who are not already in ``store``, in one transaction."""
    token, colleagues = known_colleagues(store)
    new, duplicates = _split_known(result.people, colleagues)
    return commit_vcard_import(store, VcardImport(source, result, new, duplicates, token))


def import_vcard_file(
    store: Store,
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> VcardImportReport:
    """Read ``path`` and add its new colleagues to ``store``; all or nothing.

    Raises:
        ExchangeError: the file cannot be read as vCards (nothing was changed).
        StoreError: the store could not save (nothing was changed).
        ImportCancelled: ``cancel`` was set (nothing was changed).
    """
    prepared = prepare_vcard_import(path, known_colleagues(store), progress=progress, cancel=cancel)
    return commit_vcard_import(store, prepared, cancel=cancel)


def export_vcf(store: Store, path: Path, *, force: bool = False) -> str:
    """Write every colleague to ``path`` as vCard 3.0 (0600, atomically). Returns a summary."""
    folder = store.folder_uid()
    colleagues = sorted(
        (replace(c, uid=store.uid_of(c, folder)) for c in store.all(Colleague)), key=lambda c: c.name.casefold()
    )
    raw = write_vcards(colleagues).encode("utf-8")
    refuse_unreadable_size(raw, MAX_FILE_BYTES, "address book")
    write_private(Path(path), raw, force=force)
    return f"Saved {_count(len(colleagues))} to {path} (vCard 3.0)."
