"""The body scan: items, scales, the scan state machine, the summary and next steps.

Plain Python with no Textual import: the scan screen only presents what is computed here.

Items
    Eight body regions, then last night's sleep, then the five "reach out" signals, always in
    that order (:data:`ITEMS`). Each has a stable ``key`` (stored in drafts and records), a
    ``label``, a ``short`` label for narrow columns and one ``cue``: what to notice, never
    what to feel.

Scales
    Body regions and signals: ``0`` none, ``1`` a little, ``2`` noticeable, ``3`` strong.
    Sleep: ``1`` poor, ``2`` ok, ``3`` good. The number pressed is the number stored, so a
    ``0`` on the sleep item does nothing. Each level has a word and a one-character symbol,
    and :func:`meter` draws a three-cell bar (``#..``); none of it needs colour.

Keymap (the scan screen's item keys are generated from :data:`KEYMAP`, the single source)
    ========================  =====================================================
    ``0`` ``1`` ``2`` ``3``   rate the item (quick mode: rate and move straight on)
    ``s``                     skip: leave this item unrated and move on
    ``left`` ``backspace``    previous item
    ``right``                 next item, keeping what is there
    ``e``                     write a one-line note (the screen opens the input)
    ``d``                     done: finish now, the rest stays unrated
    ``space``                 guided mode: hold / resume the countdown (the screen's timer)
    ``g``                     switch between quick and guided
    letters of :data:`SENSATIONS`  toggle a sensation word, the letter is in the word:
                              ``i`` tight, ``h`` heavy, ``l`` restless, ``n`` numb,
                              ``z`` buzzing, ``w`` warm, ``m`` calm, ``a`` achy,
                              ``k`` knotted, ``f`` fluttery, ``o`` cold, ``p`` pressure
    ========================  =====================================================

    Each key is bound to the action it maps to (so ``left`` and ``backspace`` are one action),
    and the screen hands that action to :meth:`ScanState.apply`, whose :class:`Outcome` says
    what the screen has to do (redraw and save, open the note, hold the countdown).

    Why not first letters everywhere: ``t`` ``b`` ``c`` ``r`` take you to the other screens
    from anywhere in Tend (and ``q`` quits, ``?`` shows keys), and a scan should never take
    those away. ``s`` ``d`` ``e`` ``g`` are the scan's own. Digits 4-9 are ignored, never
    misread as a rating.

State
    :class:`ScanState` is a small mutable state machine. Every mutator returns ``True`` when
    something changed (the screen then saves the draft). A finished scan ignores every key.
    ``to_dict``/``from_dict`` round-trip a half-done scan; ``from_dict`` accepts anything and
    keeps only what is valid, because a draft on disk may be old or damaged.

Summary
    ``total`` is the sum of the rated body regions and signals (at most 13 x 3 = 39); sleep
    is reported on its own and never added in. Unrated items add nothing and are listed.
    The screen shows no total: change since last time is :func:`overall_change`, the mean
    of only the items rated both times, and nothing at all with fewer than
    :data:`MIN_IN_COMMON` of them.
    Trends use one value per calendar day (local time) and only days with a scan: for body
    regions, signals and the total the day's *highest* value (the heaviest moment of the day
    is what a trend should not smooth away); for sleep the day's *latest* answer (it is about
    one night, so a later answer corrects an earlier one). A quarter is drawn by week and a
    year by fortnight (:data:`BUCKET_DAYS`), each cell the highest of its days (sleep: latest).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pendulum

from app.models import BodyScan, BreathingSession, Colleague, Contact, parse_datetime
from app.modes import MODE_BY_NAME, MODE_KEYS
from app.people import Ranked, Standing, Status, rank_colleagues, resting
from app.textclean import NAME_LIMIT, clean_text

# --------------------------------------------------------------------------- scales

if TYPE_CHECKING:  # the store is only passed in: no import of it (or TinyDB) at run time
    from app.storage import Store

Zone = str | pendulum.Timezone | pendulum.FixedTimezone
"""A time zone as Tend's functions take it: a name, or what pendulum gives (the local one may be fixed)."""


@dataclass(frozen=True)
class Level:
    """One step on a rating scale."""

    value: int
    word: str
    symbol: str


@dataclass(frozen=True)
class Scale:
    """A small rating scale: the number key pressed is the value stored."""

    name: str
    levels: tuple[Level, ...]

    @functools.cached_property
    def values(self) -> tuple[int, ...]:
        """The values this scale accepts, lowest first (worked out once: history checks
        every rating of every past scan against it)."""
        return tuple(level.value for level in self.levels)

    @property
    def top(self) -> int:
        """The highest value on the scale."""
        return self.levels[-1].value

    def level(self, value: int | None) -> Level | None:
        """The level for ``value``, or ``None`` when it is not on this scale."""
        for level in self.levels:
            if level.value == value:
                return level
        return None

    def accepts(self, value: object) -> bool:
        """True when ``value`` is an int (not a bool) on this scale."""
        return isinstance(value, int) and not isinstance(value, bool) and value in self.values

    def hint(self) -> str:
        """The scale as one line of keys and words, e.g. ``0 none  1 a little ...``."""
        return "  ".join(f"{level.value} {level.word}" for level in self.levels)


LOAD_SCALE = Scale(
    "load",
    (
        Level(0, "none", "."),
        Level(1, "a little", "-"),
        Level(2, "noticeable", "="),
        Level(3, "strong", "#"),
    ),
)
"""How much is there: body regions and reach-out signals."""

SLEEP_SCALE = Scale(
    "sleep",
    (
        Level(1, "poor", "-"),
        Level(2, "ok", "="),
        Level(3, "good", "#"),
    ),
)
"""Last night's sleep. Higher is more rested, so it is never added to the load total."""

HIGH = 2
"""A body region or signal at this value or above counts as high ("noticeable" or "strong")."""

METER_WIDTH = 3


def meter(value: int | None, width: int = METER_WIDTH) -> str:
    """A bar of ``#`` and ``.`` for ``value`` (``#..`` is 1 of 3); blanks when unrated."""
    if value is None:
        return " " * width
    filled = max(0, min(width, value))
    return "#" * filled + "." * (width - filled)


# --------------------------------------------------------------------------- items

BODY = "body"
SLEEP = "sleep"
SIGNAL = "signal"


@dataclass(frozen=True)
class Item:
    """One thing the scan asks about."""

    key: str
    label: str
    short: str
    cue: str
    group: str
    scale: Scale = LOAD_SCALE


# fmt: off
ITEMS: tuple[Item, ...] = (
    Item(
        "jaw", "Jaw and face", "jaw",
        "Notice your jaw, your tongue, the space between your eyebrows. How much are they holding?",
        BODY,
    ),
    Item(
        "neck", "Neck and shoulders", "shoulders",
        "Notice where your shoulders sit right now. How much are they drawn up or held?",
        BODY,
    ),
    Item(
        "chest", "Chest and heart", "chest",
        "Notice your chest and your heartbeat. How much is racing or tight there?",
        BODY,
    ),
    Item(
        "breath", "Breath", "breath",
        "Notice where the breath moves, no need to change it. How short or held is it?",
        BODY,
    ),
    Item(
        "belly", "Belly and digestion", "belly",
        "Notice your stomach. How much churning, knotting or unease is there?",
        BODY,
    ),
    Item(
        "hands", "Hands and arms", "hands",
        "Notice your hands and arms. How much are they curled, gripping or tense?",
        BODY,
    ),
    Item(
        "back", "Back", "back",
        "Notice your back against the chair. How much is it holding on?",
        BODY,
    ),
    Item(
        "legs", "Legs and feet", "legs",
        "Notice your legs and feet, and the floor under them. How much restlessness or tension is there?",
        BODY,
    ),
    Item(
        "sleep", "Last night's sleep", "sleep",
        "Think back to last night. How was your sleep?",
        SLEEP, SLEEP_SCALE,
    ),
    Item(
        "weight", "Weight of clients' pain", "weight",
        "Notice whether your clients' stories are still with you. How heavily do they weigh?",
        SIGNAL,
    ),
    Item(
        "depletion", "Physical depletion", "depleted",
        "Notice your body after today's sessions. How drained does it feel?",
        SIGNAL,
    ),
    Item(
        "rawness", "Emotional rawness", "raw",
        "Notice how close to the surface things are: tears, irritation, flinching. How close?",
        SIGNAL,
    ),
    Item(
        "fog", "Mental fog", "fog",
        "Notice your thinking. How foggy is it, how slow are words and decisions to come?",
        SIGNAL,
    ),
    Item(
        "tension", "Physical tension", "tension",
        "Take in your whole body at once. How much tension is it holding?",
        SIGNAL,
    ),
)
# fmt: on
"""Every item, in the order the scan asks them."""

ITEM_BY_KEY: dict[str, Item] = {item.key: item for item in ITEMS}
ITEM_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS)
BODY_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS if item.group == BODY)
SIGNAL_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS if item.group == SIGNAL)
LOAD_KEYS: tuple[str, ...] = BODY_KEYS + SIGNAL_KEYS
MAX_TOTAL = LOAD_SCALE.top * len(LOAD_KEYS)
"""The highest possible total: every body region and signal rated strong."""


# --------------------------------------------------------------------------- sensations


@dataclass(frozen=True)
class Sensation:
    """An optional word for how an item feels, toggled with one letter."""

    letter: str
    word: str


SENSATIONS: tuple[Sensation, ...] = (
    Sensation("i", "tight"),
    Sensation("h", "heavy"),
    Sensation("l", "restless"),
    Sensation("n", "numb"),
    Sensation("z", "buzzing"),
    Sensation("w", "warm"),
    Sensation("m", "calm"),
    Sensation("a", "achy"),
    Sensation("k", "knotted"),
    Sensation("f", "fluttery"),
    Sensation("o", "cold"),
    Sensation("p", "pressure"),
)
"""Sensation words in display order, each with its letter key."""

SENSATION_WORDS: tuple[str, ...] = tuple(s.word for s in SENSATIONS)
SENSATION_BY_LETTER: dict[str, str] = {s.letter: s.word for s in SENSATIONS}

NOTE_LIMIT = NAME_LIMIT
"""Longest one-line note on an item, in characters."""

# --------------------------------------------------------------------------- keymap

RATE = "rate"
NEXT = "next"
BACK = "back"
SKIP = "skip"
FINISH = "finish"
NOTE = "note"
HOLD = "hold"
TOGGLE = "toggle"
PACE = "pace"
ACTIONS = frozenset({RATE, NEXT, BACK, SKIP, FINISH, NOTE, HOLD, TOGGLE, PACE})
"""Every action of :data:`KEYMAP`."""

KEYMAP: dict[str, tuple[str, str | None]] = {
    **{str(n): (RATE, str(n)) for n in range(4)},
    "s": (SKIP, None),
    "left": (BACK, None),
    "backspace": (BACK, None),
    "right": (NEXT, None),
    "e": (NOTE, None),
    "d": (FINISH, None),
    "space": (HOLD, None),
    "g": (PACE, None),
    **{s.letter: (TOGGLE, s.word) for s in SENSATIONS},
}
"""Textual key name -> (action, argument), in the order the screen binds (and its footer shows)
them. See the module docstring for the table."""

RESERVED_KEYS = (MODE_KEYS - {MODE_BY_NAME["scan"].key}) | {"q"}
"""Keys the app keeps on every screen (the other screens' keys, quit): the scan never binds
them. Its own key (``s``) opens nothing new here, so the scan takes it (skip)."""


class Outcome(enum.Enum):
    """What :meth:`ScanState.apply` did, so the screen knows what to do next."""

    CHANGED = "changed"
    """The state changed: redraw and save the draft."""
    UNCHANGED = "unchanged"
    """A scan key that had nothing to do here (rating 0 on sleep, back on the first item)."""
    NOTE = "note"
    """The screen should open the note input for the current item."""
    HOLD = "hold"
    """The screen should hold or resume the guided countdown."""
    UNKNOWN = "unknown"
    """Not a scan key."""


# --------------------------------------------------------------------------- state

QUICK = "quick"
GUIDED = "guided"
MODES = (QUICK, GUIDED)
DEFAULT_SECONDS = 8
MIN_SECONDS = 2
MAX_SECONDS = 120
DRAFT_VERSION = 1


def _now_iso(now: pendulum.DateTime | None) -> str:
    return (now or pendulum.now()).isoformat()


def clamp_seconds(seconds: object) -> int:
    """Seconds per item for guided mode, kept within ``MIN_SECONDS..MAX_SECONDS``."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or math.isnan(seconds):
        return DEFAULT_SECONDS
    if math.isinf(seconds):
        return MAX_SECONDS if seconds > 0 else MIN_SECONDS
    return max(MIN_SECONDS, min(MAX_SECONDS, int(seconds)))


@dataclass
class ScanState:
    """A scan in progress: where it is and what has been said so far."""

    mode: str = QUICK
    seconds: int = DEFAULT_SECONDS
    index: int = 0
    ratings: dict[str, int] = field(default_factory=dict)
    sensations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    started_at: str = field(default_factory=lambda: _now_iso(None))
    finished: bool = False

    @classmethod
    def new(
        cls, mode: str = QUICK, seconds: int = DEFAULT_SECONDS, now: pendulum.DateTime | None = None
    ) -> ScanState:
        """A fresh scan at the first item."""
        return cls(
            mode=mode if mode in MODES else QUICK,
            seconds=clamp_seconds(seconds),
            started_at=_now_iso(now),
        )

    # ---- reading

    @property
    def item(self) -> Item:
        """The item being asked about."""
        return ITEMS[self.index]

    @property
    def is_first(self) -> bool:
        """True on the first item."""
        return self.index == 0

    @property
    def is_last(self) -> bool:
        """True on the last item."""
        return self.index == len(ITEMS) - 1

    @property
    def answered(self) -> int:
        """How many items have a rating."""
        return len(self.ratings)

    @property
    def is_empty(self) -> bool:
        """True when nothing at all has been said (no rating, word or note)."""
        return not (self.ratings or self.sensations or self.notes)

    def rating(self, key: str | None = None) -> int | None:
        """The rating of ``key`` (default: the current item), or ``None``."""
        return self.ratings.get(key or self.item.key)

    def words(self, key: str | None = None) -> tuple[str, ...]:
        """The sensation words toggled on ``key`` (default: the current item)."""
        return self.sensations.get(key or self.item.key, ())

    def note(self, key: str | None = None) -> str:
        """The note on ``key`` (default: the current item)."""
        return self.notes.get(key or self.item.key, "")

    def progress(self) -> str:
        """Where the scan is, in words: ``3 of 14``."""
        return f"{self.index + 1} of {len(ITEMS)}"

    # ---- moving

    def next(self) -> bool:
        """Move to the next item; past the last one the scan is finished."""
        if self.finished:
            return False
        if self.is_last:
            self.finished = True
        else:
            self.index += 1
        return True

    def back(self) -> bool:
        """Move to the previous item (nothing happens on the first)."""
        if self.finished or self.is_first:
            return False
        self.index -= 1
        return True

    def skip(self) -> bool:
        """Leave the current item unrated (its words and note stay) and move on."""
        if self.finished:
            return False
        self.ratings.pop(self.item.key, None)
        return self.next()

    def set_mode(self, mode: str) -> bool:
        """Switch between quick and guided pacing (what was said stays)."""
        if self.finished or mode not in MODES or mode == self.mode:
            return False
        self.mode = mode
        return True

    def finish(self) -> bool:
        """Finish now; anything not rated stays unrated."""
        if self.finished:
            return False
        self.finished = True
        return True

    # ---- answering

    def rate(self, value: int) -> bool:
        """Rate the current item. In quick mode this also moves on.

        Returns ``False`` (and changes nothing) when ``value`` is not on the item's scale.
        """
        if self.finished or not self.item.scale.accepts(value):
            return False
        self.ratings[self.item.key] = value
        if self.mode == QUICK:
            self.next()
        return True

    def toggle(self, word: str) -> bool:
        """Turn a sensation word on or off for the current item."""
        if self.finished or word not in SENSATION_WORDS:
            return False
        key = self.item.key
        current = set(self.sensations.get(key, ()))
        current.symmetric_difference_update({word})
        ordered = tuple(w for w in SENSATION_WORDS if w in current)
        if ordered:
            self.sensations[key] = ordered
        else:
            self.sensations.pop(key, None)
        return True

    def note_differs(self, text: object) -> bool:
        """Whether keeping ``text`` would change the current item's note (once cleaned)."""
        return not self.finished and clean_text(text, limit=NOTE_LIMIT) != self.notes.get(self.item.key, "")

    def set_note(self, text: object) -> bool:
        """Set (or with empty text, clear) the current item's one-line note, cleaned."""
        if not self.note_differs(text):
            return False
        key = self.item.key
        cleaned = clean_text(text, limit=NOTE_LIMIT)
        if cleaned:
            self.notes[key] = cleaned
        else:
            self.notes.pop(key, None)
        return True

    def apply(self, action: str, arg: str | None = None) -> Outcome:
        """Apply one action of :data:`KEYMAP` (with its argument) and say what happened."""
        if action not in ACTIONS:
            return Outcome.UNKNOWN
        if action == NOTE:
            return Outcome.UNCHANGED if self.finished else Outcome.NOTE
        if action == HOLD:
            return Outcome.UNCHANGED if self.finished else Outcome.HOLD
        changed = self._dispatch(action, arg)
        return Outcome.CHANGED if changed else Outcome.UNCHANGED

    def _dispatch(self, action: str, arg: str | None) -> bool:
        if action == RATE:
            return self.rate(int(arg or 0))
        if action == TOGGLE:
            return self.toggle(arg or "")
        if action == PACE:
            return self.set_mode(QUICK if self.mode == GUIDED else GUIDED)
        simple = {NEXT: self.next, BACK: self.back, SKIP: self.skip, FINISH: self.finish}
        return simple[action]()

    # ---- checking

    def problems(self) -> list[str]:
        """Everything wrong with this state; an empty list means it is valid."""
        found: list[str] = []
        if self.mode not in MODES:
            found.append(f"mode {self.mode!r}")
        if clamp_seconds(self.seconds) != self.seconds:
            found.append(f"seconds {self.seconds!r}")
        if not (isinstance(self.index, int) and 0 <= self.index < len(ITEMS)):
            found.append(f"index {self.index!r}")
        for key, value in self.ratings.items():
            if key not in ITEM_BY_KEY or not ITEM_BY_KEY[key].scale.accepts(value):
                found.append(f"rating {key!r}={value!r}")
        for key, words in self.sensations.items():
            ordered = tuple(w for w in SENSATION_WORDS if w in words)
            if key not in ITEM_BY_KEY or not words or ordered != tuple(words):
                found.append(f"sensations {key!r}={words!r}")
        if not isinstance(self.started_at, str) or _parse_time(self.started_at) is None:
            found.append(f"started_at {self.started_at!r}")
        for key, note in self.notes.items():
            if key not in ITEM_BY_KEY or not note or clean_text(note, limit=NOTE_LIMIT) != note:
                found.append(f"note {key!r}")
        return found

    def is_valid(self) -> bool:
        """True when :meth:`problems` finds nothing."""
        return not self.problems()

    # ---- saving

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this state, for the draft."""
        return {
            "version": DRAFT_VERSION,
            "mode": self.mode,
            "seconds": self.seconds,
            "index": self.index,
            "ratings": dict(self.ratings),
            "sensations": {k: list(v) for k, v in self.sensations.items()},
            "notes": dict(self.notes),
            "started_at": self.started_at,
            "finished": self.finished,
        }

    @classmethod
    def from_dict(cls, data: object) -> ScanState:
        """Rebuild a state from :meth:`to_dict` output, keeping only what is valid."""
        if not isinstance(data, Mapping):
            return cls.new()
        index = data.get("index", 0)
        if isinstance(index, bool) or not isinstance(index, int):
            index = 0
        mode = data.get("mode")
        started = data.get("started_at")
        if not (isinstance(started, str) and _parse_time(started)):
            started = _now_iso(None)
        return cls(
            mode=mode if mode in MODES else QUICK,
            seconds=clamp_seconds(data.get("seconds", DEFAULT_SECONDS)),
            index=max(0, min(len(ITEMS) - 1, index)),
            ratings=_valid_ratings(data.get("ratings")),
            sensations=_valid_sensations(data.get("sensations")),
            notes=_valid_notes(data.get("notes")),
            started_at=started,
            finished=data.get("finished") is True,
        )

    def to_record(self, now: pendulum.DateTime | None = None) -> ScanRecord:
        """The finished scan as a record, taken ``now``."""
        return ScanRecord(
            taken_at=_now_iso(now),
            mode=self.mode,
            ratings=dict(self.ratings),
            sensations=dict(self.sensations),
            notes=dict(self.notes),
        )


def _valid_ratings(raw: object) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        return {}
    return {
        key: value
        for key, value in raw.items()
        if key in ITEM_BY_KEY and ITEM_BY_KEY[key].scale.accepts(value)
    }


def _valid_sensations(raw: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for key, words in raw.items():
        if key not in ITEM_BY_KEY or not isinstance(words, (list, tuple)):
            continue
        ordered = tuple(w for w in SENSATION_WORDS if w in words)
        if ordered:
            result[key] = ordered
    return result


def _valid_notes(raw: object) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        return {}
    result: dict[str, str] = {}
    for key, note in raw.items():
        cleaned = clean_text(note, limit=NOTE_LIMIT) if isinstance(note, str) else ""
        if key in ITEM_BY_KEY and cleaned:
            result[key] = cleaned
    return result


@functools.lru_cache(maxsize=8192)
def _parse_time(text: str) -> pendulum.DateTime | None:
    """Parse an ISO time once (summaries ask for the same record's time many times)."""
    try:
        quick = _dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        quick = None
    try:
        written_by_tend = quick is not None and quick.utcoffset() is not None  # quick, same result
        parsed = parse_datetime(text) if written_by_tend else pendulum.parse(text)
    except Exception:  # pendulum raises several kinds for bad input
        return None
    return parsed if isinstance(parsed, pendulum.DateTime) else None


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _stamp(when: pendulum.DateTime) -> str:
    """``when`` as pendulum's "ddd D MMM YYYY  HH:mm" in English, without its formatter
    (which costs tens of microseconds a call: too much for years of history)."""
    return (
        f"{_DAY_NAMES[when.weekday()]} {when.day} {_MONTH_NAMES[when.month - 1]} {when.year}"
        f"  {when.hour:02d}:{when.minute:02d}"
    )


# --------------------------------------------------------------------------- guided pacing


@dataclass
class Pacer:
    """The guided countdown for one item, kept against a monotonic clock.

    Times are plain seconds from whatever monotonic clock the screen injects (``time.monotonic``
    in the app, a fake in tests), so nothing here sleeps or reads the clock itself.
    """

    seconds: float
    started: float
    held_at: float | None = None

    @property
    def held(self) -> bool:
        """True while the countdown is held."""
        return self.held_at is not None

    def remaining(self, now: float) -> float:
        """Seconds left on this item (frozen while held), never below zero."""
        at = self.held_at if self.held_at is not None else now
        return max(0.0, self.seconds - (at - self.started))

    def countdown(self, now: float) -> int:
        """Whole seconds left, rounded up, as shown on screen."""
        return math.ceil(self.remaining(now))

    def due(self, now: float) -> bool:
        """True when the item's time is up and the scan should move on."""
        return not self.held and self.remaining(now) <= 0

    def hold(self, now: float) -> bool:
        """Stop the countdown where it is."""
        if self.held:
            return False
        self.held_at = now
        return True

    def resume(self, now: float) -> bool:
        """Carry on counting from where it was held."""
        if self.held_at is None:
            return False
        self.started += now - self.held_at
        self.held_at = None
        return True

    def toggle(self, now: float) -> bool:
        """Hold when running, resume when held; returns True when now held."""
        if self.held:
            self.resume(now)
        else:
            self.hold(now)
        return self.held

    def restart(self, now: float, seconds: float | None = None) -> None:
        """Start the full time again (a new item); a hold stays on."""
        if seconds is not None:
            self.seconds = seconds
        self.started = now
        if self.held_at is not None:
            self.held_at = now


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ScanRecord:
    """A finished scan, as stored."""

    taken_at: str
    ratings: dict[str, int]
    sensations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    mode: str = QUICK
    id: int | None = field(default=None, compare=False)
    """The stored scan's id (None for a scan not saved): history deletes by it."""

    def when(self, tz: str | pendulum.Timezone | pendulum.FixedTimezone | None = None) -> pendulum.DateTime:
        """When the scan was taken, in ``tz`` (default: the local time zone)."""
        parsed = _parse_time(self.taken_at) or pendulum.from_timestamp(0)
        return parsed.in_timezone(tz or pendulum.local_timezone())

    def value(self, key: str) -> int | None:
        """The rating of ``key``, or ``None`` when it was not rated."""
        return self.ratings.get(key)

    @property
    def sleep(self) -> int | None:
        """Last night's sleep (1 poor, 2 ok, 3 good), or ``None``."""
        return self.ratings.get("sleep")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this record."""
        return {
            "taken_at": self.taken_at,
            "mode": self.mode,
            "ratings": dict(self.ratings),
            "sensations": {k: list(v) for k, v in self.sensations.items()},
            "notes": dict(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScanRecord:
        """Rebuild a record, dropping anything invalid.

        Raises:
            ValueError: when ``taken_at`` is missing or not a date and time.
        """
        taken_at = data.get("taken_at")
        if not isinstance(taken_at, str) or _parse_time(taken_at) is None:
            raise ValueError("a scan record needs taken_at as an ISO 8601 date and time")
        mode = data.get("mode")
        return cls(
            taken_at=taken_at,
            mode=mode if mode in MODES else QUICK,
            ratings=_valid_ratings(data.get("ratings")),
            sensations=_valid_sensations(data.get("sensations")),
            notes=_valid_notes(data.get("notes")),
        )


def record_from_model(scan: BodyScan) -> ScanRecord:
    """The scan logic's view of a stored :class:`~app.models.BodyScan` (invalid parts dropped)."""
    record = ScanRecord.from_dict(
        {
            "taken_at": scan.when.isoformat(),
            "mode": scan.mode,
            "ratings": scan.ratings,
            "sensations": scan.sensations,
            "notes": scan.notes,
        }
    )
    return dataclasses.replace(record, id=scan.id)


def model_from_record(record: ScanRecord) -> BodyScan:
    """A :class:`~app.models.BodyScan` to store; ``skipped`` lists every unrated item."""
    return BodyScan(
        when=parse_datetime(record.taken_at),
        mode=record.mode,
        ratings=dict(record.ratings),
        sensations={k: list(v) for k, v in record.sensations.items()},
        notes=dict(record.notes),
        skipped=[k for k in ITEM_KEYS if k not in record.ratings],
    )


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Total:
    """The load of one scan, in numbers."""

    body: int
    signals: int
    sleep: int | None
    rated: int
    """How many body regions and signals were rated."""
    unrated: tuple[str, ...]
    """Keys of body regions and signals left unrated (sleep is not counted here)."""

    @property
    def total(self) -> int:
        """Body regions plus signals; sleep is never added."""
        return self.body + self.signals

    @property
    def out_of(self) -> int:
        """The highest total the rated items could have reached."""
        return self.rated * LOAD_SCALE.top


def total(record: ScanRecord) -> Total:
    """Add up a scan: body regions and signals, with sleep apart."""
    ratings = record.ratings
    return Total(
        body=sum(ratings.get(k, 0) for k in BODY_KEYS),
        signals=sum(ratings.get(k, 0) for k in SIGNAL_KEYS),
        sleep=record.sleep,
        rated=sum(1 for k in LOAD_KEYS if k in ratings),
        unrated=tuple(k for k in LOAD_KEYS if k not in ratings),
    )


def load_now(record: ScanRecord, limit: int = 3) -> list[tuple[Item, int]]:
    """Where the load sits: the rated body regions and signals above none, highest first.

    Ties keep scan order. At most ``limit`` items; an empty list when nothing was above none.
    """
    rated = [(ITEM_BY_KEY[k], record.ratings[k]) for k in LOAD_KEYS if record.ratings.get(k)]
    rated.sort(key=lambda pair: -pair[1])  # stable: scan order within a value
    return rated[:limit]


class Change(enum.Enum):
    """How an item moved since the previous scan. Words and symbols, never colour alone."""

    UP = ("higher", "^")
    DOWN = ("lower", "v")
    SAME = ("same", "=")

    @property
    def word(self) -> str:
        """The change in a word."""
        return self.value[0]

    @property
    def symbol(self) -> str:
        """The change as one ASCII character."""
        return self.value[1]


def change(now: int | None, before: int | None) -> Change | None:
    """The change from ``before`` to ``now``; ``None`` when either is missing."""
    if now is None or before is None:
        return None
    if now > before:
        return Change.UP
    if now < before:
        return Change.DOWN
    return Change.SAME


def compare(current: ScanRecord, previous: ScanRecord | None) -> dict[str, Change]:
    """Per item, up/down/same against ``previous``; items missing on either side are left out."""
    if previous is None:
        return {}
    result: dict[str, Change] = {}
    for key in ITEM_KEYS:
        moved = change(current.value(key), previous.value(key))
        if moved is not None:
            result[key] = moved
    return result


MIN_IN_COMMON = 3
"""Fewest body regions and signals rated in both scans for an overall comparison: with fewer,
the summary says nothing about overall change (one item moving is not "lighter overall")."""


def in_common(current: ScanRecord, previous: ScanRecord | None) -> tuple[str, ...]:
    """The body regions and signals rated in both scans, in scan order."""
    if previous is None:
        return ()
    return tuple(k for k in LOAD_KEYS if k in current.ratings and k in previous.ratings)


def average(record: ScanRecord, keys: Iterable[str] | None = None) -> float | None:
    """The mean rating of ``keys`` (default: every rated body region and signal) that were
    rated; ``None`` when none was. Sleep is never in it."""
    wanted = LOAD_KEYS if keys is None else tuple(keys)
    values = [record.ratings[k] for k in wanted if k in record.ratings and k in LOAD_KEYS]
    return sum(values) / len(values) if values else None


def overall_change(current: ScanRecord, previous: ScanRecord | None) -> Change | None:
    """Lighter, heavier or the same overall, comparing only what was rated both times (the
    mean of those items); ``None`` when fewer than :data:`MIN_IN_COMMON` were."""
    keys = in_common(current, previous)
    if previous is None or len(keys) < MIN_IN_COMMON:
        return None
    now, before = average(current, keys), average(previous, keys)
    if now is None or before is None:
        return None
    if abs(now - before) < 1e-9:
        return Change.SAME
    return Change.UP if now > before else Change.DOWN


def previous_scan(record: ScanRecord, history: Iterable[ScanRecord]) -> ScanRecord | None:
    """The latest scan in ``history`` taken before ``record``."""
    taken = record.when("UTC")
    earlier = [r for r in history if r.when("UTC") < taken]
    return max(earlier, key=lambda r: r.when("UTC"), default=None)


# --------------------------------------------------------------------------- reading from the store
#
# Years of scans are thousands of records. What a screen shows needs a few of them: a page
# of history, or the weeks a summary compares with. These compare the stored times and read
# in full only the scans wanted (``store`` is the app's Store).

HISTORY_PAGE = 100
"""Past scans listed at first; the rest on request."""


def _records_of(scans: Iterable[BodyScan]) -> list[ScanRecord]:
    records = []
    for scan in scans:
        try:
            records.append(record_from_model(scan))
        except ValueError:
            continue
    return records


def _scans_from(
    store: Store,
    start: _dt.datetime | None,
    end: _dt.datetime | None = None,
    *,
    recent: bool = False,
    among: Mapping[str, Any] | None = None,
) -> list[ScanRecord]:
    """The scans taken from ``start`` to ``end`` (both included; None: no bound); ``recent``
    and ``among`` as for :meth:`app.storage.Store.between`."""
    return _records_of(store.between(BodyScan, "when", start, end, recent=recent, among=among))


def newest_scans(
    store: Store, limit: int | None = HISTORY_PAGE, *, recent: bool = False, among: Mapping[str, Any] | None = None
) -> tuple[list[ScanRecord], int]:
    """The newest ``limit`` scans (all of them with None), and how many there are in all.
    ``recent``: only what ``tend.json`` holds (the last six weeks and the latest scan before
    them; the count is theirs), for a first frame that reads no history file; ``among``:
    these stored documents (every scan, as :meth:`app.storage.Store.read_older` gives them)."""
    moments = sorted(store.moments(BodyScan, "when", recent=recent, among=among), reverse=True)
    if limit is None or len(moments) <= limit:
        return _scans_from(store, None, recent=recent, among=among), len(moments)
    return _scans_from(store, moments[limit - 1], recent=recent, among=among), len(moments)


def scans_for_summary(
    store: Store, record: ScanRecord, *, recent: bool = False, among: Mapping[str, Any] | None = None
) -> list[ScanRecord]:
    """What a summary of ``record`` compares it with: the scans of the trend windows up to
    it, and the one before it however long ago that was. ``recent`` and ``among`` as for
    :func:`newest_scans`."""
    taken = record.when("UTC")
    oldest = taken.subtract(days=max(TREND_DAYS) + 2)  # a day to spare for time zones
    found = _scans_from(store, oldest, taken, recent=recent, among=among)
    if not any(r.when("UTC") < taken for r in found):
        before = [m for m in store.moments(BodyScan, "when", recent=recent, among=among) if m < oldest]
        if before:
            latest = max(before)
            found += _scans_from(store, latest, latest, recent=recent, among=among)
    return found


# --------------------------------------------------------------------------- trends

SPARK_UNICODE = "·░▒█"
"""Sparkline cells for levels 0..3: in the Linux console font (CP437 shades), no colour needed."""

SPARK_ASCII = ".-=#"
"""Plain ASCII fallback, the same symbols as the rating scale."""

SPARK_MISSING = " "
"""A day with a scan where this item was not rated."""

TREND_DAYS = (14, 30, 91, 364)
"""The trend windows: two weeks and 30 days by day, a quarter by week, a year by fortnight."""

BUCKET_DAYS: dict[int, int] = {14: 1, 30: 1, 91: 7, 364: 14}
"""Days per sparkline cell in each window, so every window fits in 30 cells (80 columns)."""

LONG_SPANS: tuple[tuple[int, str], ...] = (
    (30, "30 days (days with a scan)"),
    (91, "a quarter (weeks with a scan)"),
    (364, "a year (fortnights with a scan)"),
)
"""The longer trend column, in the order ``v`` steps through them: window days, heading."""

OVERALL = "overall"
"""The trend row of the mean of the rated body regions and signals (0..3, like an item)."""


def _local_day(record: ScanRecord, tz: str | pendulum.Timezone | pendulum.FixedTimezone | None) -> _dt.date:
    return record.when(tz).date()


def daily_values(
    records: Iterable[ScanRecord],
    key: str,
    *,
    days: int,
    now: pendulum.DateTime | None = None,
    tz: Zone | None = None,
) -> list[tuple[_dt.date, int | None]]:
    """One value per day with a scan in the last ``days`` days (today included), oldest first.

    ``key`` is an item key or ``"total"``. A day's value is its highest (sleep: its latest
    answer); ``None`` when scans that day left the item unrated.
    """
    zone = tz or pendulum.local_timezone()
    today = (now or pendulum.now()).in_timezone(zone).date()
    first = today - _dt.timedelta(days=days - 1)
    by_day: dict[_dt.date, list[ScanRecord]] = {}
    for record in records:
        day = _local_day(record, zone)
        if first <= day <= today:
            by_day.setdefault(day, []).append(record)
    return [(day, _day_value(by_day[day], key)) for day in sorted(by_day)]


def _day_mean(records: list[ScanRecord]) -> float | None:
    """The day's highest :func:`average` (the ``overall`` row); None when nothing was rated."""
    means = [m for r in records if (m := average(r)) is not None]
    return max(means) if means else None


def _day_value(records: list[ScanRecord], key: str) -> int | None:
    if key == "total":
        return max(total(r).total for r in records)
    values = [(r.when("UTC"), value) for r in records if (value := r.value(key)) is not None]
    if not values:
        return None
    if key == "sleep":
        return max(values, key=lambda pair: pair[0])[1]
    return max(value for _, value in values)


def sparkline(values: Sequence[float | None], *, top: int = 3, charset: str = SPARK_UNICODE) -> str:
    """Draw ``values`` (0..``top``) one cell each; ``None`` is a blank.

    Values are scaled onto the charset's levels, rounding up so anything above zero shows.
    """
    steps = len(charset) - 1
    cells = []
    for value in values:
        if value is None:
            cells.append(SPARK_MISSING)
            continue
        level = math.ceil(max(0, min(top, value)) * steps / top) if top > 0 else 0
        cells.append(charset[level])
    return "".join(cells)


@dataclass(frozen=True)
class Trend:
    """An item's recent days, drawn as sparklines."""

    key: str
    lines: dict[int, str]
    """Days window (14, 30) -> sparkline."""
    values: dict[int, list[float | None]]
    """Days window -> one value per cell (whole ratings; the ``overall`` row's are means)."""


def _bucketed(
    per_day: Sequence[tuple[_dt.date, float | None]], key: str, days: int, bucket: int, today: _dt.date
) -> list[float | None]:
    """The values of the last ``days`` days, one per ``bucket`` days that had a scan, oldest
    first: a bucket's highest value (sleep: its latest answer)."""
    first = today - _dt.timedelta(days=days - 1)
    recent = [(day, value) for day, value in per_day if first <= day <= today]
    if bucket <= 1:
        return [value for _, value in recent]
    groups: dict[int, list[float | None]] = {}
    for day, value in recent:
        groups.setdefault((today - day).days // bucket, []).append(value)
    result: list[float | None] = []
    for index in sorted(groups, reverse=True):  # the furthest back first
        rated = [v for v in groups[index] if v is not None]
        if not rated:
            result.append(None)
        else:
            result.append(rated[-1] if key == "sleep" else max(rated))
    return result


def trends(
    records: Iterable[ScanRecord],
    *,
    now: pendulum.DateTime | None = None,
    tz: Zone | None = None,
    charset: str = SPARK_UNICODE,
    windows: Sequence[int] = TREND_DAYS,
    buckets: Mapping[int, int] | None = None,
) -> dict[str, Trend]:
    """Sparklines for every item, ``"total"`` and ``"overall"`` over each window of days.

    A window is drawn by day, or by ``buckets[days]`` days per cell (:data:`BUCKET_DAYS`),
    and only the days (or weeks, fortnights) with a scan get a cell. Each record's local day
    is worked out once, whatever the number of items and windows.
    """
    now = now or pendulum.now()
    zone = tz or pendulum.local_timezone()
    per_cell = BUCKET_DAYS if buckets is None else buckets
    today = now.in_timezone(zone).date()
    longest = max(windows, default=0)
    first = today - _dt.timedelta(days=longest - 1)
    oldest = now.subtract(days=longest + 1)
    by_day: dict[_dt.date, list[ScanRecord]] = {}
    for record in records:
        if record.when("UTC") < oldest:  # only what a window can show
            continue
        day = _local_day(record, zone)
        if first <= day <= today:
            by_day.setdefault(day, []).append(record)
    days_seen = sorted(by_day)
    result: dict[str, Trend] = {}
    for key in (*ITEM_KEYS, "total", OVERALL):
        if key == "total":
            top = MAX_TOTAL
        elif key == OVERALL:
            top = LOAD_SCALE.top
        else:
            top = ITEM_BY_KEY[key].scale.top
        per_day: list[tuple[_dt.date, float | None]] = [
            (day, _day_mean(by_day[day]) if key == OVERALL else _day_value(by_day[day], key)) for day in days_seen
        ]
        values = {days: _bucketed(per_day, key, days, per_cell.get(days, 1), today) for days in windows}
        lines = {days: sparkline(vals, top=top, charset=charset) for days, vals in values.items()}
        result[key] = Trend(key, lines, values)
    return result


# --------------------------------------------------------------------------- next steps

PATTERNS = ("box", "478", "coherent", "sigh", "extended")
"""Breathing pattern keys the breathing screen knows."""

BREATHE = "breathe"
REACH_OUT = "reach_out"


@dataclass(frozen=True)
class Suggestion:
    """A next step the summary offers, one key away."""

    kind: str
    """``"breathe"`` (start ``pattern``) or ``"reach_out"`` (open the trusted colleague suggested after a heavy scan)."""
    title: str
    text: str
    pattern: str | None = None
    because: tuple[str, ...] = ()
    """Keys of the items that led here; empty for the gentle default."""


_BREATHING: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # pattern: (title, text, items that suggest it when high)
    "sigh": (
        "Physiological sigh",
        "Two breaths in through the nose, then one long, slow breath out. "
        "A few rounds can help a busy chest settle.",
        ("chest", "breath"),
    ),
    "extended": (
        "Longer out-breath",
        "In for 4, out for 6. Let the shoulders drop a little with each breath out.",
        ("jaw", "neck", "hands", "back", "tension"),
    ),
    "box": (
        "Box breathing",
        "In 4, hold 4, out 4, hold 4. A steady count to rest on when thinking feels crowded.",
        ("fog",),
    ),
    "478": (
        "4-7-8 breathing",
        "In for 4, hold for 7, out for 8. A slow count some people like after a short night.",
        (),
    ),
    "coherent": (
        "Slow, even breathing",
        "About five and a half seconds in, the same out. An easy rhythm for a couple of minutes.",
        ("belly", "legs", "weight", "depletion", "rawness"),
    ),
}
"""In priority order: when more fit than there is room for, the earlier ones are offered."""

REACH_OUT_TITLE = "Check in with someone"
REACH_OUT_TEXT = (
    "Some of what you noticed is easier carried with someone. "
    "A short message to a colleague could be a good next step."
)
MAX_BREATHING = 2


def high_items(record: ScanRecord, keys: Iterable[str]) -> tuple[str, ...]:
    """The ``keys`` rated noticeable or strong, in scan order."""
    wanted = set(keys)
    return tuple(k for k in LOAD_KEYS if k in wanted and (record.value(k) or 0) >= HIGH)


def signals_high(record: ScanRecord) -> bool:
    """True when the reach-out signals are high: any one strong, or two or more noticeable."""
    values = [record.value(k) or 0 for k in SIGNAL_KEYS]
    return max(values) >= LOAD_SCALE.top or sum(1 for v in values if v >= HIGH) >= 2


def all_signals_high(record: ScanRecord) -> bool:
    """True when every one of the five signals was rated noticeable or strong: the only
    time the person's own support line is shown."""
    return all((record.value(k) or 0) >= HIGH for k in SIGNAL_KEYS)


SUPPORT_LINE_LIMIT = NAME_LIMIT
"""Longest support line, in characters."""


def _breathing_suggestions(record: ScanRecord) -> list[Suggestion]:
    found: list[Suggestion] = []
    for pattern, (title, text, keys) in _BREATHING.items():
        because = high_items(record, keys)
        if pattern == "478" and record.sleep == SLEEP_SCALE.values[0]:
            because = ("sleep",)
        if because:
            found.append(Suggestion(BREATHE, title, text, pattern, because))
    if not found:
        title, text, _ = _BREATHING["coherent"]
        found.append(Suggestion(BREATHE, title, text, "coherent"))
    return found[:MAX_BREATHING]


def suggest(record: ScanRecord) -> list[Suggestion]:
    """Next steps for what this scan found.

    When the signals are high (:func:`signals_high`), reaching out comes first. Then up to
    two breathing patterns, in the priority order of :data:`_BREATHING`: ``sigh`` when
    chest/heart or breath is high, ``extended`` for tension in the jaw, shoulders, hands or
    back, ``box`` for fog, ``478`` after poor sleep, ``coherent`` otherwise. There is always
    at least one breathing pattern, so the summary never ends empty-handed.
    """
    found: list[Suggestion] = []
    if signals_high(record):
        because = high_items(record, SIGNAL_KEYS)
        found.append(Suggestion(REACH_OUT, REACH_OUT_TITLE, REACH_OUT_TEXT, None, because))
    return found + _breathing_suggestions(record)


def reach_out_line(name: str | None, *, anyone: bool = False) -> str:
    """The action line for reaching out, with the colleague's name when there is one
    (``anyone``: there are colleagues, but none to suggest)."""
    cleaned = clean_text(name)
    if cleaned:
        return f"Send {cleaned} a check-in"
    if anyone:
        return "Choose someone you trust from your colleagues"
    return "Add a colleague you trust, so there is someone to check in with"


TRUSTED_ROLES = frozenset({"supervisor", "mentor", "peer", "team"})
"""Roles that fit an ask after a heavy scan (a consultation group or "other" may not)."""

EASY_ASK_DAYS = 60
"""Reached within this many days (or two of their cadences, if longer): an easy ask."""


def trusted_after_heavy_scan(
    colleagues: Iterable[Colleague], contacts: Iterable[Contact], now: pendulum.DateTime | None = None
) -> tuple[Colleague, Standing] | None:
    """Who to suggest after a heavy scan: someone trusted and easy to ask, not whoever is
    most overdue. ``None`` when nobody fits.

    Never someone brand new with no contact yet (:attr:`app.people.Status.NEW`), nor someone
    snoozed or archived (:func:`app.people.resting`). First
    the people marked ``suggest_after_scan``; then a supervisor, mentor, peer or team
    reached recently (:data:`EASY_ASK_DAYS`); then anyone reached recently; then a role
    that fits; then anyone reached at all. Within each, the most recently reached first.
    """
    ranked = rank_colleagues(list(colleagues), list(contacts), now)

    def recent(where: Standing) -> bool:
        return where.days_since is not None and where.days_since <= max(EASY_ASK_DAYS, 2 * where.ideal_days)

    def order(item: Ranked[Colleague, Contact]) -> tuple[int, int, str]:
        colleague, where = item.colleague, item.where
        fits = colleague.role in TRUSTED_ROLES
        if colleague.suggest_after_scan:
            group = 0
        elif fits and recent(where):
            group = 1
        elif recent(where):
            group = 2
        elif fits and not where.never:
            group = 3
        else:
            group = 4
        days = where.days_since if where.days_since is not None else 1_000_000
        return (group, days, colleague.name.casefold())

    today = (now or pendulum.now()).date()
    candidates = [
        item for item in ranked
        if item.where.status is not Status.NEW and not resting(item.colleague, today)
        and (item.colleague.suggest_after_scan or not item.where.never)
    ]  # fmt: skip
    if not candidates:
        return None
    best = min(candidates, key=order)
    return best.colleague, best.where


# --------------------------------------------------------------------------- history and summary


@dataclass(frozen=True)
class HistoryRow:
    """One past scan in the history list."""

    record: ScanRecord
    when: str
    total: int
    out_of: int
    top: tuple[str, ...]
    """Short labels of the items rated highest."""


def history_rows(
    records: Iterable[ScanRecord], *, tz: Zone | None = None, limit: int = 3
) -> list[HistoryRow]:
    """Past scans, newest first: local date and time, total and where the load sat."""
    dated = [(record.when(tz), record) for record in records]  # each time converted once
    dated.sort(key=lambda pair: pair[0], reverse=True)  # aware times: the same order as in UTC
    rows = []
    for when, record in dated:
        counted = total(record)
        rows.append(
            HistoryRow(
                record=record,
                when=_stamp(when),
                total=counted.total,
                out_of=counted.out_of,
                top=tuple(item.short for item, _ in load_now(record, limit)),
            )
        )
    return rows


@dataclass(frozen=True)
class Summary:
    """Everything the summary shows for one scan."""

    record: ScanRecord
    total: Total
    previous: ScanRecord | None
    total_change: Change | None
    """Overall, compared like with like (:func:`overall_change`); None when there is too
    little in common with the previous scan, or no previous scan."""
    load: list[tuple[Item, int]]
    changes: dict[str, Change]
    trends: dict[str, Trend]
    suggestions: list[Suggestion]


def summarise(
    record: ScanRecord,
    history: Iterable[ScanRecord] = (),
    *,
    now: pendulum.DateTime | None = None,
    tz: Zone | None = None,
    charset: str = SPARK_UNICODE,
) -> Summary:
    """The whole summary of ``record`` against earlier scans.

    ``history`` may or may not include ``record`` itself; a scan taken at the same moment
    is counted once.
    """
    history = [r for r in history if r.taken_at != record.taken_at]
    previous = previous_scan(record, history)
    counted = total(record)
    return Summary(
        record=record,
        total=counted,
        previous=previous,
        total_change=overall_change(record, previous),
        load=load_now(record),
        changes=compare(record, previous),
        trends=trends([*history, record], now=now, tz=tz, charset=charset),
        suggestions=suggest(record),
    )


# --------------------------------------------------------------------------- the rest scan
#
# A slower walk through the body regions with nothing to rate: each region's cue, a gentle
# countdown, then the next. It is logged as a breathing-like session: a BreathingSession with
# the pattern ``rest-scan`` (``cycles`` are regions), so it shows with the other sessions.

REST_SECONDS = 30
"""Seconds on each body region in the rest scan (eight regions: four minutes)."""

REST_PATTERN = "rest-scan"
REST_NAME = "Rest scan"

REST_CUES: dict[str, str] = {
    "jaw": "Let your jaw loosen and your tongue rest. Let the space between your eyebrows soften.",
    "neck": "Let your shoulders drop a little, then a little more. Nothing to hold up just now.",
    "chest": "Notice your chest rising and falling. Let it move as it likes.",
    "breath": "Follow a few breaths in and out, just as they are. No need to change them.",
    "belly": "Let your belly be soft. Let it rise with the breath in.",
    "hands": "Let your hands rest open, fingers loose, arms heavy.",
    "back": "Feel the chair holding your back. Let it take some of the weight.",
    "legs": "Feel your feet on the floor, and the floor holding them. Let your legs be heavy.",
}
"""What to rest on in each body region: no question, nothing to rate."""

REST_KEYS: tuple[str, ...] = BODY_KEYS
"""The regions the rest scan walks through, in scan order."""


@dataclass
class RestWalk:
    """Where a rest scan is: the region on show, and whether it is over."""

    seconds: int = REST_SECONDS
    index: int = 0
    done: bool = False

    @property
    def item(self) -> Item:
        """The body region on show."""
        return ITEM_BY_KEY[REST_KEYS[self.index]]

    @property
    def cue(self) -> str:
        """What to rest on in this region."""
        return REST_CUES[self.item.key]

    def progress(self) -> str:
        """Where the walk is, in words: ``3 of 8``."""
        return f"{self.index + 1} of {len(REST_KEYS)}"

    def next(self) -> bool:
        """On to the next region; after the last one the walk is over."""
        if self.done:
            return False
        if self.index == len(REST_KEYS) - 1:
            self.done = True
        else:
            self.index += 1
        return True

    def finish(self) -> bool:
        """End the walk here."""
        if self.done:
            return False
        self.done = True
        return True

    def seconds_spent(self, left_on_this_one: float) -> float:
        """Seconds rested: the regions before this one in full, and this one so far."""
        if self.done and left_on_this_one <= 0:
            return float(self.seconds * (self.index + 1))
        return float(self.seconds * self.index) + max(0.0, self.seconds - left_on_this_one)


def rest_session(walk: RestWalk, started: pendulum.DateTime, seconds: float) -> BreathingSession | None:
    """The rest scan as a breathing session to log; ``None`` when less than one region's
    time was spent (a few seconds is not a session)."""
    if seconds < walk.seconds:
        return None
    planned = walk.seconds * len(REST_KEYS)
    regions = min(len(REST_KEYS), int(seconds // walk.seconds))
    return BreathingSession(
        when=started,
        pattern=REST_PATTERN,
        pattern_name=REST_NAME,
        planned_seconds=float(planned),
        actual_seconds=round(float(seconds), 1),
        cycles_planned=len(REST_KEYS),
        cycles_done=regions,
        completed=regions == len(REST_KEYS),
    )
