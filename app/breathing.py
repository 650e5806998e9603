"""Paced breathing: patterns, session length, the timeline and the figure.

Everything here is plain Python (no Textual), so the rhythm can be tested to the millisecond.

* A :class:`Pattern` is a named cycle of phases (``inhale`` / ``hold`` / ``exhale``).
  :data:`PRESETS` holds the built-in ones under fixed keys other modules rely on
  (``box``, ``478``, ``coherent``, ``sigh``, ``extended``); custom patterns are built from
  stored data with :meth:`Pattern.from_dict` and checked with :func:`validate_pattern`.
* :func:`plan_cycles` turns "2 minutes" or "6 cycles" into a whole number of cycles.
* :func:`state_at` says exactly where a session is at any second; :class:`BreathingRun` drives
  it from a monotonic clock (injectable), with pause, +/- cycle and ending early.
* :func:`figure_lines` draws the breath as a disc with a few discrete sizes, and
  :func:`next_change` says when anything visible next changes, so a screen can sleep until
  then instead of redrawing at a fixed frame rate (cheap over SSH).
"""

from __future__ import annotations

import bisect
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import pendulum

from app.textclean import clean_text

if TYPE_CHECKING:
    from app.models import BreathingSession

__all__ = [
    "BreathState",
    "BreathingRun",
    "CUSTOM_SLOTS",
    "FIGURE_STEPS",
    "LENGTH_MINUTES",
    "MAX_CYCLES",
    "MAX_PHASE_SECONDS",
    "NAME_MAX",
    "PHASE_KINDS",
    "PRESETS",
    "Pattern",
    "PatternInvalid",
    "Phase",
    "SessionLength",
    "build_custom_pattern",
    "closing_line",
    "custom_key",
    "figure_lines",
    "figure_width",
    "find_pattern",
    "figure_step",
    "format_clock",
    "format_seconds",
    "get_preset",
    "load_custom_patterns",
    "next_change",
    "parse_length",
    "parse_seconds",
    "pattern_from_record",
    "phase_label",
    "plan_cycles",
    "progress_dots",
    "state_at",
    "unknown_pattern_message",
    "validate_cycles",
    "validate_minutes",
    "validate_pattern",
]

PhaseKind = Literal["inhale", "hold", "exhale"]
PHASE_KINDS: tuple[str, ...] = ("inhale", "hold", "exhale")
"""Every phase is one of these; a hold after the in-breath and after the out-breath are both "hold"."""

MAX_PHASE_SECONDS = 20.0
"""Longest phase in a custom pattern."""

PHASE_STEP = 0.5
"""Custom phases are whole or half seconds."""

NAME_MAX = 40
"""Longest custom pattern name, in characters (it has to fit in a list row at 80 columns)."""

MAX_CYCLES = 200
"""Upper bound on cycles in one session (keeps +/- and typed numbers sane)."""

MAX_MINUTES = 60.0
"""Upper bound on a custom length in minutes."""

LENGTH_MINUTES: tuple[int, ...] = (1, 2, 3, 5)
"""The lengths offered with one key."""

FIGURE_STEPS = 8
"""The figure has ``FIGURE_STEPS + 1`` sizes (0 = empty lungs, FIGURE_STEPS = full)."""

_TIME_EPSILON = 1e-9


class Phase(NamedTuple):
    """One phase of a pattern: what to do and for how long (seconds, > 0)."""

    kind: str
    seconds: float


def format_seconds(seconds: float) -> str:
    """``4.0`` -> ``"4"``, ``5.5`` -> ``"5.5"``: how a phase length reads in a rhythm."""
    if float(seconds).is_integer():
        return str(int(seconds))
    return f"{seconds:g}"


def format_clock(seconds: float) -> str:
    """Whole seconds as ``m:ss`` (``64`` -> ``"1:04"``), rounding up so 0:00 means done."""
    whole = max(0, math.ceil(seconds - _TIME_EPSILON))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class Pattern:
    """A breathing pattern: a cycle of phases repeated for the length of a session.

    Attributes:
        key: Stable identifier (``"box"``... for presets, ``"custom-..."`` for custom ones).
        name: What the person sees.
        phases: The cycle, as ``(kind, seconds)`` pairs; every phase lasts more than 0 s.
        blurb: One plain sentence on what the pattern is good for.
        custom: True for a pattern the person made.
    """

    key: str
    name: str
    phases: tuple[Phase, ...]
    blurb: str = ""
    custom: bool = False

    def __post_init__(self) -> None:
        phases = tuple(Phase(str(kind), float(seconds)) for kind, seconds in self.phases)
        if not phases:
            raise ValueError("a pattern needs at least one phase")
        for kind, seconds in phases:
            if kind not in PHASE_KINDS:
                raise ValueError(f"unknown phase kind {kind!r}")
            if not math.isfinite(seconds) or seconds <= 0:
                raise ValueError(f"phase length must be a positive number, not {seconds!r}")
        if not any(kind == "inhale" for kind, _ in phases):
            raise ValueError("a pattern needs an inhale")
        if not any(kind == "exhale" for kind, _ in phases):
            raise ValueError("a pattern needs an exhale")
        object.__setattr__(self, "phases", phases)

    @property
    def cycle_seconds(self) -> float:
        """Length of one full cycle in seconds."""
        return float(sum(seconds for _, seconds in self.phases))

    @property
    def breaths_per_minute(self) -> float:
        """Cycles per minute (one cycle is one breath, even when it has two inhales)."""
        return 60.0 / self.cycle_seconds

    @property
    def rhythm(self) -> str:
        """The phase lengths joined with dashes, like ``"4-7-8"`` or ``"5.5-5.5"``."""
        return "-".join(format_seconds(seconds) for _, seconds in self.phases)

    @property
    def pace(self) -> str:
        """Breaths per minute as a short phrase, like ``"3.8 breaths/min"``."""
        bpm = self.breaths_per_minute
        text = str(round(bpm)) if abs(bpm - round(bpm)) < 0.05 else f"{bpm:.1f}"
        return f"{text} breaths/min"

    @cached_property
    def _starts(self) -> tuple[float, ...]:
        """Offset of each phase from the start of the cycle."""
        starts: list[float] = []
        total = 0.0
        for _, seconds in self.phases:
            starts.append(total)
            total += seconds
        return tuple(starts)

    @cached_property
    def _levels(self) -> tuple[tuple[float, float], ...]:
        """Figure size (0..1) at the start and end of each phase.

        Inhales fill the figure in proportion to their share of all the inhale time (so the
        sigh's second, short inhale tops it up), exhales empty it the same way, holds keep it.
        """
        inhale = sum(s for k, s in self.phases if k == "inhale")
        exhale = sum(s for k, s in self.phases if k == "exhale")
        level = 0.0
        raw: list[tuple[float, float]] = []
        for kind, seconds in self.phases:
            start = level
            if kind == "inhale":
                level += seconds / inhale
            elif kind == "exhale":
                level -= seconds / exhale
            raw.append((start, level))
        low = min(min(pair) for pair in raw)
        high = max(max(pair) for pair in raw)
        span = (high - low) or 1.0

        def norm(value: float) -> float:
            return min(1.0, max(0.0, (value - low) / span))

        return tuple((norm(a), norm(b)) for a, b in raw)

    def phase_label(self, index: int) -> str:
        """The words shown for phase ``index``."""
        return phase_label(self, index)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store (round-trips through :meth:`from_dict`)."""
        return {
            "key": self.key,
            "name": self.name,
            "phases": [[kind, seconds] for kind, seconds in self.phases],
            "blurb": self.blurb,
            "custom": self.custom,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pattern:
        """Build a pattern from stored data, cleaning the text on the way in.

        Phases may be ``[kind, seconds]`` pairs or ``{"kind": ..., "seconds": ...}`` maps;
        phases of 0 s are dropped. Raises :class:`ValueError` when the data cannot make a
        usable pattern (the caller skips it rather than crashing).
        """
        if not isinstance(data, Mapping):
            raise ValueError("a stored pattern must be a mapping")
        key = clean_text(data.get("key"), limit=80)
        name = clean_text(data.get("name"), limit=NAME_MAX)
        if not key or not name:
            raise ValueError("a stored pattern needs a key and a name")
        raw_phases = data.get("phases")
        if not isinstance(raw_phases, (list, tuple)):
            raise ValueError("a stored pattern needs a list of phases")
        phases: list[Phase] = []
        for item in raw_phases:
            if isinstance(item, Mapping):
                kind, seconds = item.get("kind"), item.get("seconds")
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                kind, seconds = item
            else:
                raise ValueError(f"cannot read phase {item!r}")
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise ValueError(f"phase length must be a number, not {seconds!r}")
            if seconds == 0:
                continue
            if not 0 < seconds <= MAX_PHASE_SECONDS * 4:
                raise ValueError(f"phase length out of range: {seconds!r}")
            phases.append(Phase(str(kind), float(seconds)))
        return cls(
            key=key,
            name=name,
            phases=tuple(phases),
            blurb=clean_text(data.get("blurb"), limit=200),
            custom=bool(data.get("custom", True)),
        )


def phase_label(pattern: Pattern, index: int) -> str:
    """Words for a phase: "Breathe in", "A little more in" (a second inhale), "Hold", "Breathe out"."""
    kind = pattern.phases[index].kind
    if kind == "inhale":
        previous = pattern.phases[index - 1].kind if index > 0 else None
        return "A little more in" if previous == "inhale" else "Breathe in"
    if kind == "exhale":
        return "Breathe out"
    return "Hold"


def _preset(key: str, name: str, phases: Sequence[tuple[str, float]], blurb: str) -> Pattern:
    return Pattern(key, name, tuple(Phase(k, float(s)) for k, s in phases), blurb)


PRESETS: tuple[Pattern, ...] = (
    _preset(
        "box",
        "Box breathing",
        [("inhale", 4), ("hold", 4), ("exhale", 4), ("hold", 4)],
        "Four even sides; good for steadying your attention between things.",
    ),
    _preset(
        "478",
        "4-7-8 breathing",
        [("inhale", 4), ("hold", 7), ("exhale", 8)],
        "A long, slow breath out; good for winding down after a hard hour.",
    ),
    _preset(
        "coherent",
        "Coherent breathing",
        [("inhale", 5.5), ("exhale", 5.5)],
        "An easy, even rise and fall; good for a few quiet, steady minutes.",
    ),
    _preset(
        "sigh",
        "Physiological sigh",
        [("inhale", 2), ("inhale", 1), ("exhale", 7)],
        "Two breaths in, one long sigh out; good for letting go quickly.",
    ),
    _preset(
        "extended",
        "Extended exhale",
        [("inhale", 4), ("exhale", 6)],
        "Out a little longer than in; good for slowing down when rushed.",
    ),
)
"""The built-in patterns, in the order they are listed."""

_PRESETS_BY_KEY = {pattern.key: pattern for pattern in PRESETS}


def get_preset(key: str) -> Pattern | None:
    """The preset with this key, or None."""
    return _PRESETS_BY_KEY.get(key)


def load_custom_patterns(items: Iterable[Any]) -> list[Pattern]:
    """Custom patterns from stored data, skipping any entry that cannot be read."""
    patterns: list[Pattern] = []
    for item in items or ():
        try:
            patterns.append(Pattern.from_dict(item))
        except (ValueError, TypeError):
            continue
    return patterns


def pattern_from_record(record: Any) -> Pattern | None:
    """A custom pattern from a stored ``BreathingPattern`` record (key ``custom-<id>``), or None."""
    try:
        return Pattern.from_dict(
            {
                "key": f"custom-{record.id}",
                "name": record.name,
                "phases": record.phases,
                "blurb": "Your own pattern.",
                "custom": True,
            }
        )
    except (AttributeError, TypeError, ValueError):
        return None


def _loose(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", clean_text(text).casefold())


def find_pattern(name: object, patterns: Iterable[Pattern]) -> Pattern | None:
    """The pattern a person means by ``name``: its key or its name, ignoring case, spaces and
    dashes (so ``box``, ``4-7-8``, ``Physiological sigh`` and ``custom-3`` all work)."""
    wanted = _loose(str(name or ""))
    if not wanted:
        return None
    patterns = list(patterns)
    for pattern in patterns:
        if _loose(pattern.key) == wanted:
            return pattern
    for pattern in patterns:
        if _loose(pattern.name) == wanted:
            return pattern
    return None


def unknown_pattern_message(name: object, patterns: Iterable[Pattern]) -> str:
    """What to say when ``--pattern`` names nothing: the valid names, one a line."""
    shown = clean_text(name, limit=40) or "that"
    lines = [f"There is no breathing pattern called {shown!r}. These are the ones you can use:"]
    for pattern in patterns:
        lines.append(f"  {pattern.key:<12} {pattern.name} ({pattern.rhythm})")
    lines.append("For example: tend breathe --pattern box --minutes 2")
    return "\n".join(lines)


# --- custom patterns ------------------------------------------------------------------------

CUSTOM_SLOTS: tuple[tuple[str, str], ...] = (
    ("inhale", "Breathe in"),
    ("hold", "Hold after in"),
    ("exhale", "Breathe out"),
    ("hold", "Hold after out"),
)
"""The four fields of the custom pattern editor: kind and label, in order."""


class PatternInvalid(ValueError):
    """A custom pattern that did not pass :func:`validate_pattern`; ``errors`` says why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def parse_seconds(value: object) -> float:
    """Read a phase length typed by a person: ``"4"``, ``"4.5"``, ``"4,5"``, ``""`` (0).

    Raises :class:`ValueError` with a message fit to show next to the field.
    """
    if isinstance(value, bool):
        raise ValueError("Use a number of seconds, like 4 or 5.5.")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = clean_text(value, limit=20).replace(",", ".").removesuffix("s").strip()
        if not text:
            return 0.0
        try:
            number = float(text)
        except ValueError:
            raise ValueError("Use a number of seconds, like 4 or 5.5.") from None
    if not math.isfinite(number):
        raise ValueError("Use a number of seconds, like 4 or 5.5.")
    if number < 0:
        raise ValueError("Seconds can't go below 0; use 0 to leave this part out.")
    if number > MAX_PHASE_SECONDS:
        raise ValueError(f"The longest a part can be is {format_seconds(MAX_PHASE_SECONDS)} seconds.")
    if not (number * 2).is_integer():
        raise ValueError("Use whole or half seconds, like 4 or 4.5.")
    return round(number * 2) / 2


def validate_pattern(
    name: object,
    phases: Sequence[tuple[str, object]],
    *,
    taken_names: Iterable[str] = (),
) -> dict[str, str]:
    """Check a custom pattern; returns ``{field: message}``, empty when all is well.

    Args:
        name: The name as typed (it is cleaned here).
        phases: ``(kind, seconds)`` pairs, seconds as typed (str) or a number; usually the
            four :data:`CUSTOM_SLOTS`. A length of 0 leaves that phase out.
        taken_names: Names already used (case does not matter), so two patterns never share one.

    Fields are ``"name"``, ``"phase-<index>"`` for a phase, and ``"phases"`` for a problem
    with the pattern as a whole that no single field owns.
    """
    errors: dict[str, str] = {}
    cleaned = clean_text(name, limit=NAME_MAX * 4)
    if not cleaned:
        errors["name"] = "Give it a name, so you can find it again."
    elif len(cleaned) > NAME_MAX:
        errors["name"] = f"Keep the name to {NAME_MAX} characters or fewer."
    elif cleaned.casefold() in {clean_text(n).casefold() for n in taken_names}:
        errors["name"] = "You already have a pattern with this name; try another."
    if not phases:
        errors["phases"] = "Add a breath in and a breath out."
        return errors
    seconds: dict[int, float] = {}
    for index, (kind, value) in enumerate(phases):
        if kind not in PHASE_KINDS:
            errors[f"phase-{index}"] = "This part should be a breath in, a hold or a breath out."
            continue
        try:
            seconds[index] = parse_seconds(value)
        except ValueError as error:
            errors[f"phase-{index}"] = str(error)
    for kind, message in (
        ("inhale", "Give the breath in some time: half a second or more."),
        ("exhale", "Give the breath out some time: half a second or more."),
    ):
        slots = [i for i, (k, _) in enumerate(phases) if k == kind]
        if any(seconds.get(i, 0) > 0 for i in slots):
            continue
        if not slots:
            errors.setdefault("phases", f"Add a breath {'in' if kind == 'inhale' else 'out'}.")
        elif all(i in seconds for i in slots):  # a typing error there already says enough
            errors.setdefault(f"phase-{slots[0]}", message)
    return errors


_SLUG = re.compile(r"[^a-z0-9]+")


def custom_key(name: str, taken_keys: Iterable[str] = ()) -> str:
    """A stable, unique key for a new custom pattern, such as ``"custom-evening"``."""
    taken = set(taken_keys) | set(_PRESETS_BY_KEY)
    slug = _SLUG.sub("-", clean_text(name).casefold()).strip("-")[:24].strip("-") or "pattern"
    key = f"custom-{slug}"
    number = 2
    while key in taken:
        key = f"custom-{slug}-{number}"
        number += 1
    return key


def build_custom_pattern(
    name: object,
    phases: Sequence[tuple[str, object]],
    *,
    key: str | None = None,
    taken_names: Iterable[str] = (),
    taken_keys: Iterable[str] = (),
) -> Pattern:
    """Validate and build a custom pattern (phases of 0 s are left out).

    Pass ``key`` to keep the identity of a pattern being edited. Raises
    :class:`PatternInvalid` with the same ``errors`` as :func:`validate_pattern`.
    """
    errors = validate_pattern(name, phases, taken_names=taken_names)
    if errors:
        raise PatternInvalid(errors)
    cleaned = clean_text(name, limit=NAME_MAX)
    kept = tuple(
        Phase(kind, parse_seconds(value)) for kind, value in phases if parse_seconds(value) > 0
    )
    return Pattern(
        key=key or custom_key(cleaned, taken_keys),
        name=cleaned,
        phases=kept,
        blurb="Your own pattern.",
        custom=True,
    )


# --- session length -------------------------------------------------------------------------


def plan_cycles(pattern: Pattern, minutes: float | None = None, cycles: int | None = None) -> int:
    """How many whole cycles a session runs: by ``cycles``, or the nearest to ``minutes``.

    A session always ends on a whole cycle and has at least one. Give exactly one of the two.
    """
    if (minutes is None) == (cycles is None):
        raise ValueError("give either minutes or cycles")
    if cycles is not None:
        if isinstance(cycles, bool) or not math.isfinite(cycles):
            raise ValueError(f"cycles must be a number, not {cycles!r}")
        return max(1, min(MAX_CYCLES, int(cycles)))
    assert minutes is not None
    if isinstance(minutes, bool) or not math.isfinite(minutes):
        raise ValueError(f"minutes must be a number, not {minutes!r}")
    wanted = minutes * 60.0 / pattern.cycle_seconds
    return max(1, min(MAX_CYCLES, math.floor(wanted + 0.5)))


@dataclass(frozen=True)
class SessionLength:
    """How long to breathe: a number of minutes or a number of cycles (exactly one is set)."""

    minutes: float | None = 2.0
    cycles: int | None = None

    def __post_init__(self) -> None:
        if (self.minutes is None) == (self.cycles is None):
            raise ValueError("give either minutes or cycles")

    def plan(self, pattern: Pattern) -> int:
        """Whole cycles of ``pattern`` this length means."""
        return plan_cycles(pattern, minutes=self.minutes, cycles=self.cycles)

    @property
    def label(self) -> str:
        """``"2 min"``, ``"1.5 min"``, ``"6 cycles"``."""
        if self.cycles is not None:
            return "1 cycle" if self.cycles == 1 else f"{self.cycles} cycles"
        assert self.minutes is not None
        return f"{format_seconds(self.minutes)} min"

    def to_dict(self) -> dict[str, float | int]:
        """Plain data for settings."""
        if self.cycles is not None:
            return {"cycles": self.cycles}
        assert self.minutes is not None
        return {"minutes": self.minutes}

    @classmethod
    def from_dict(cls, data: object) -> SessionLength:
        """Read settings back; anything unreadable falls back to two minutes."""
        if isinstance(data, Mapping):
            cycles, minutes = data.get("cycles"), data.get("minutes")
            if isinstance(cycles, int) and not isinstance(cycles, bool) and 1 <= cycles <= MAX_CYCLES:
                return cls(minutes=None, cycles=cycles)
            if (
                isinstance(minutes, (int, float))
                and not isinstance(minutes, bool)
                and math.isfinite(minutes)
                and 0 < minutes <= MAX_MINUTES
            ):
                return cls(minutes=float(minutes))
        return cls()


def validate_minutes(text: object) -> tuple[float | None, str | None]:
    """Read a typed number of minutes: ``(minutes, None)`` or ``(None, message)``."""
    raw = clean_text(text, limit=20).replace(",", ".").removesuffix("min").strip()
    try:
        minutes = float(raw)
    except ValueError:
        return None, "Type a number of minutes, like 4 or 1.5."
    if not math.isfinite(minutes) or minutes <= 0:
        return None, "Type a number of minutes, like 4 or 1.5."
    if minutes > MAX_MINUTES:
        return None, f"Up to {int(MAX_MINUTES)} minutes at a time."
    return minutes, None


def validate_cycles(text: object) -> tuple[int | None, str | None]:
    """Read a typed number of cycles: ``(cycles, None)`` or ``(None, message)``."""
    raw = clean_text(text, limit=20)
    if not raw.isdigit() or int(raw) < 1:
        return None, "Type a whole number of cycles, like 6."
    if int(raw) > MAX_CYCLES:
        return None, f"Up to {MAX_CYCLES} cycles at a time."
    return int(raw), None


_LENGTH = re.compile(r"(?P<number>[0-9]+(?:[.,][0-9]+)?)\s*(?P<unit>[a-z]*)\.?")
_MINUTE_UNITS = frozenset({"", "m", "min", "mins", "minute", "minutes"})
_CYCLE_UNITS = frozenset({"c", "x", "cycle", "cycles", "round", "rounds", "breath", "breaths"})


def parse_length(text: object) -> tuple[SessionLength | None, str | None]:
    """Read a typed length: ``"4"`` or ``"1.5 min"`` (minutes), ``"6 cycles"`` or ``"6c"``.

    Returns ``(length, None)`` or ``(None, message)``.
    """
    found = _LENGTH.fullmatch(clean_text(text, limit=30).casefold())
    unit = found["unit"] if found else None
    if found and unit in _MINUTE_UNITS:
        minutes, problem = validate_minutes(found["number"])
        if minutes is None:
            return None, problem
        return SessionLength(minutes=minutes), None
    if found and unit in _CYCLE_UNITS:
        cycles, problem = validate_cycles(found["number"])
        if cycles is None:
            return None, problem
        return SessionLength(minutes=None, cycles=cycles), None
    return None, "Type minutes, like 4 or 1.5, or cycles, like 6 cycles."


# --- the timeline ---------------------------------------------------------------------------


def figure_step(size: float, steps: int = FIGURE_STEPS) -> int:
    """The discrete figure size (0..steps) nearest to ``size`` (0..1)."""
    size = min(1.0, max(0.0, size))
    return math.floor(size * steps + 0.5)


@dataclass(frozen=True)
class BreathState:
    """Where a session is at one moment. Times are in seconds of breathing (pauses excluded)."""

    phase_index: int
    kind: str
    label: str
    phase_seconds: float
    phase_elapsed: float
    phase_remaining: float
    fraction: float
    """How far through the phase, 0..1."""
    size: float
    """Figure size 0..1: grows on the inhale, holds still on a hold, shrinks on the exhale."""
    step: int
    """``size`` quantised to 0..FIGURE_STEPS: what the figure actually shows."""
    cycle: int
    """The cycle in progress, from 1 (equal to ``cycles`` when finished)."""
    cycles: int
    cycles_done: int
    elapsed: float
    total_seconds: float
    total_remaining: float
    finished: bool

    @property
    def countdown(self) -> int:
        """Whole seconds left in the phase, as shown (4, 3, 2, 1; 0 only when finished)."""
        if self.finished:
            return 0
        return _shown_seconds(self.phase_remaining)

    @property
    def seconds_left(self) -> int:
        """Whole seconds left in the session, as shown.

        Counted from the last tick of the phase countdown, so both numbers change together
        (one redraw, not two, when a phase is not a whole number of seconds long).
        """
        if self.finished:
            return 0
        since_tick = min(self.countdown, self.phase_seconds) - self.phase_remaining
        return max(1, math.ceil(self.total_remaining + since_tick - _TIME_EPSILON))

    @property
    def phase_id(self) -> tuple[int, int]:
        """``(cycle, phase_index)``: changes exactly when a new phase begins (ring the bell)."""
        return (self.cycle, self.phase_index)

    def visible(self, *, figure: bool = True) -> tuple[object, ...]:
        """Everything the exercise screen shows; when this changes, the screen redraws."""
        return (
            self.phase_index,
            self.cycle,
            self.cycles,
            self.cycles_done,
            self.countdown,
            self.seconds_left,
            self.finished,
            self.step if figure else None,
        )


def state_at(pattern: Pattern, cycles: int, t: float, *, steps: int = FIGURE_STEPS) -> BreathState:
    """Where a session of ``cycles`` cycles of ``pattern`` is ``t`` seconds after it began.

    Pure: the same arguments always give the same answer. ``t`` below 0 reads as 0; at or
    past the end the state is ``finished``.
    """
    cycles = max(1, int(cycles))
    cycle_seconds = pattern.cycle_seconds
    total = cycle_seconds * cycles
    t = max(0.0, float(t))
    if t >= total:
        index = len(pattern.phases) - 1
        kind, seconds = pattern.phases[index]
        size = pattern._levels[index][1]
        return BreathState(
            phase_index=index,
            kind=kind,
            label=phase_label(pattern, index),
            phase_seconds=seconds,
            phase_elapsed=seconds,
            phase_remaining=0.0,
            fraction=1.0,
            size=size,
            step=figure_step(size, steps),
            cycle=cycles,
            cycles=cycles,
            cycles_done=cycles,
            elapsed=total,
            total_seconds=total,
            total_remaining=0.0,
            finished=True,
        )
    done = min(cycles - 1, int(t // cycle_seconds))
    offset = t - done * cycle_seconds
    index = max(0, min(len(pattern.phases) - 1, bisect.bisect_right(pattern._starts, offset) - 1))
    kind, seconds = pattern.phases[index]
    phase_elapsed = min(seconds, max(0.0, offset - pattern._starts[index]))
    fraction = phase_elapsed / seconds
    start_level, end_level = pattern._levels[index]
    size = start_level + (end_level - start_level) * fraction
    return BreathState(
        phase_index=index,
        kind=kind,
        label=phase_label(pattern, index),
        phase_seconds=seconds,
        phase_elapsed=phase_elapsed,
        phase_remaining=seconds - phase_elapsed,
        fraction=fraction,
        size=size,
        step=figure_step(size, steps),
        cycle=done + 1,
        cycles=cycles,
        cycles_done=done,
        elapsed=t,
        total_seconds=total,
        total_remaining=total - t,
        finished=False,
    )


def _shown_seconds(remaining: float) -> int:
    """A countdown as shown: whole seconds rounded up, never 0 while time remains."""
    return max(1, math.ceil(remaining - _TIME_EPSILON))


def _next_whole_second(remaining: float) -> float:
    """How long until a countdown showing :func:`_shown_seconds` changes."""
    return remaining - (_shown_seconds(remaining) - 1)


def next_change(
    pattern: Pattern,
    cycles: int,
    t: float,
    *,
    figure: bool = True,
    steps: int = FIGURE_STEPS,
) -> float | None:
    """The first moment after ``t`` when anything the screen shows changes, or None when finished.

    "Shows" is :meth:`BreathState.visible`: the phase, the whole-second phase countdown (the
    time left moves with it), the cycle count and (unless ``figure`` is False, for reduced
    motion) the figure step. A screen sets one timer for this moment instead of ticking.
    The answer is exact to a microsecond: the state differs at the returned time and is the
    same as at ``t`` until just before it.
    """
    t = max(0.0, float(t))
    state = state_at(pattern, cycles, t, steps=steps)
    if state.finished:
        return None
    phase_end = t + state.phase_remaining
    candidates = [phase_end, t + _next_whole_second(state.phase_remaining)]
    if figure:
        start_level, end_level = pattern._levels[state.phase_index]
        rise = end_level - start_level
        if rise:
            step = state.step
            boundary = (step + 0.5) / steps if rise > 0 else (step - 0.5) / steps
            fraction = (boundary - start_level) / rise
            if fraction <= 1:
                candidates.append(t + (fraction * state.phase_seconds - state.phase_elapsed))
    seen = state.visible(figure=figure)
    # Rounding can put a computed moment a hair early; check each, earliest first, and
    # nudge it to the first instant where the view really differs.
    for candidate in sorted(max(c, t) for c in candidates):
        for nudge in (0.0, 1e-9, 1e-8, 1e-7, 1e-6):
            moment = candidate + nudge
            if moment > t and state_at(pattern, cycles, moment, steps=steps).visible(figure=figure) != seen:
                return moment
    return phase_end + 1e-6  # unreachable in practice: the phase end always changes the view


# --- a running session ----------------------------------------------------------------------


class BreathingRun:
    """One breathing session in progress, timed by a monotonic clock.

    Time is measured against the session start on ``clock`` (``time.monotonic`` by default;
    tests pass a fake), so a slow frame never makes the rhythm drift. Pausing stops the
    breathing clock and shifts the rest of the schedule by the length of the pause.
    """

    def __init__(
        self,
        pattern: Pattern,
        cycles: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pattern = pattern
        self.cycles = max(1, min(MAX_CYCLES, int(cycles)))
        self.cycles_first_planned = self.cycles
        self._clock = clock
        self._started: float | None = None
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._stopped_at: float | None = None
        self.started_at: pendulum.DateTime | None = None
        self.ended_early = False

    # -- time

    @property
    def started(self) -> bool:
        """True once :meth:`start` has been called."""
        return self._started is not None

    @property
    def paused(self) -> bool:
        """True while paused."""
        return self._paused_at is not None

    @property
    def total_seconds(self) -> float:
        """The planned length in seconds (changes with +/- cycle)."""
        return self.pattern.cycle_seconds * self.cycles

    def start(self, now: pendulum.DateTime | None = None) -> None:
        """Start the clock (once; later calls do nothing). ``now`` is the wall time to record."""
        if self._started is None:
            self._started = self._clock()
            self.started_at = now or pendulum.now()

    def elapsed(self) -> float:
        """Seconds of breathing so far: pauses excluded, capped at the planned length."""
        if self._started is None:
            return 0.0
        if self._stopped_at is not None:
            moment = self._stopped_at
        elif self._paused_at is not None:
            moment = self._paused_at
        else:
            moment = self._clock()
        return min(self.total_seconds, max(0.0, moment - self._started - self._paused_total))

    @property
    def finished(self) -> bool:
        """True when the last cycle is done or the session was ended early."""
        return self._stopped_at is not None or (
            self._started is not None and self.elapsed() >= self.total_seconds
        )

    @property
    def completed(self) -> bool:
        """True when every planned cycle was breathed."""
        return self.finished and not self.ended_early

    def state(self) -> BreathState:
        """Where the session is now."""
        state = state_at(self.pattern, self.cycles, self.elapsed())
        if self._stopped_at is None and state.finished:
            self._stop()
        return state

    def next_change(self, *, figure: bool = True) -> float | None:
        """Seconds from now until the screen next needs redrawing; None if paused or finished."""
        if self._started is None or self.paused or self.finished:
            return None
        t = self.elapsed()
        moment = next_change(self.pattern, self.cycles, t, figure=figure)
        return None if moment is None else max(0.0, moment - t)

    def _stop(self) -> None:
        if self._stopped_at is None:
            if self._paused_at is not None:
                self._stopped_at = self._paused_at
            else:
                finish = (self._started or 0.0) + self._paused_total + self.total_seconds
                self._stopped_at = min(self._clock(), finish)
            self._paused_at = None

    # -- controls

    def pause(self) -> bool:
        """Pause; returns True if this changed anything."""
        if self._started is None or self.paused or self.finished:
            return False
        self._paused_at = self._clock()
        return True

    def resume(self) -> bool:
        """Resume after a pause; the schedule moves on by the length of the pause."""
        if self._paused_at is None or self._stopped_at is not None:
            return False
        self._paused_total += self._clock() - self._paused_at
        self._paused_at = None
        return True

    def toggle_pause(self) -> bool:
        """Pause or resume; returns True when now paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return self.paused

    def add_cycle(self) -> bool:
        """One more cycle; returns True if added."""
        if self.finished or self.cycles >= MAX_CYCLES:
            return False
        self.cycles += 1
        return True

    def remove_cycle(self) -> bool:
        """One cycle fewer, never below the cycle in progress; returns True if removed."""
        if self.finished:
            return False
        in_progress = state_at(self.pattern, self.cycles, self.elapsed()).cycle
        if self.cycles - 1 < max(1, in_progress):
            return False
        self.cycles -= 1
        return True

    def end_early(self) -> bool:
        """Stop now; the partial session counts. Returns False if it had already finished."""
        if self.finished:
            return False
        if self._started is None:
            self.start()
        self.ended_early = True
        self._stopped_at = self._paused_at if self._paused_at is not None else self._clock()
        self._paused_at = None
        return True

    # -- record

    def record(self, summary: Mapping[str, Any] | None = None) -> BreathingSession:
        """The session as history keeps it (the screen, the plain mode and Today's offers
        all log it this way), from ``summary`` (:meth:`summary` when not given)."""
        from app.models import BreathingSession

        summary = self.summary() if summary is None else summary
        return BreathingSession(
            when=self.started_at or BreathingSession().when,
            pattern=self.pattern.key,
            pattern_name=self.pattern.name,
            planned_seconds=summary["planned_seconds"],
            actual_seconds=summary["actual_seconds"],
            cycles_planned=summary["cycles_planned"],
            cycles_done=summary["cycles_done"],
            completed=summary["completed"],
        )

    def summary(self, now: pendulum.DateTime | None = None) -> dict[str, Any]:
        """What gets saved about this session.

        ``cycles_planned`` / ``planned_seconds`` are the plan as it stood at the end (after any
        +/-); ``cycles_done`` counts whole cycles breathed; ``actual_seconds`` excludes pauses.
        """
        state = self.state()
        ended = now or pendulum.now()
        started = self.started_at or ended
        return {
            "pattern_key": self.pattern.key,
            "pattern_name": self.pattern.name,
            "rhythm": self.pattern.rhythm,
            "planned_seconds": round(self.total_seconds, 1),
            "actual_seconds": round(self.elapsed(), 1),
            "cycles_planned": self.cycles,
            "cycles_done": state.cycles_done,
            "completed": self.completed,
            "ended_early": self.ended_early,
            "started_at": started.isoformat(),
            "ended_at": ended.isoformat(),
        }


def closing_line(summary: Mapping[str, Any]) -> str:
    """A short, kind line for the end of a session."""
    done = int(summary.get("cycles_done", 0))
    if summary.get("completed"):
        return "That's it. Thank you for taking this moment for yourself."
    if done == 0:
        return "Even a few breaths count. Come back whenever you like."
    breaths = "one full breath" if done == 1 else f"{done} full breaths"
    return f"{breaths.capitalize()}, and that counts. Come back whenever you like."


# --- drawing --------------------------------------------------------------------------------

_EDGE = "░"
_FILL = "▒"
_CORE = "▓"
_ASPECT = 2.0  # a terminal cell is about twice as tall as it is wide


def figure_width(height: int) -> int:
    """Columns that hold the full-size figure at ``height`` rows (no more, so nothing is sent
    for empty columns at its sides)."""
    return 2 * max(0, int(height)) + 1


def figure_lines(size: float, width: int, height: int, *, steps: int = FIGURE_STEPS) -> list[str]:
    """Draw the breath: a disc that is small when empty and fills the area when full.

    ``size`` (0..1) is quantised to ``steps`` + 1 sizes, so the drawing only changes when
    :func:`figure_step` does. Returns exactly ``height`` lines of exactly ``width`` characters.
    Shape carries the meaning (no colour needed): a light rim, a denser body and a solid
    core, all fixed by distance from the centre, so growing one step only changes the rim.
    """
    width = max(0, int(width))
    height = max(0, int(height))
    if width == 0 or height == 0:
        return [" " * width for _ in range(height)]
    step = figure_step(size, steps)
    # Largest radius (in rows) that fits both ways, keeping the disc round on screen.
    max_radius = max(0.5, min((height - 1) / 2, (width - 1) / (2 * _ASPECT)))
    min_radius = min(max_radius, max(0.6, max_radius * 0.18))
    radius = min_radius + (max_radius - min_radius) * step / steps
    centre_y = (height - 1) / 2
    centre_x = (width - 1) / 2
    lines: list[str] = []
    for row in range(height):
        dy = row - centre_y
        chars: list[str] = []
        for col in range(width):
            dx = (col - centre_x) / _ASPECT
            distance = math.hypot(dx, dy)
            if distance > radius + 0.3:
                chars.append(" ")
            elif distance > max(radius - 0.9, 1.6):
                chars.append(_EDGE)
            elif distance > 1.6:
                chars.append(_FILL)
            else:
                chars.append(_CORE)
        lines.append("".join(chars))
    return lines


def progress_dots(state: BreathState) -> str:
    """A small text line for reduced motion: one mark per second of the phase, filled as it passes.

    ``"o o o . ."`` style with ASCII only: ``#`` passed, ``.`` to come. Changes only when the
    whole-second countdown does.
    """
    total = max(1, math.ceil(state.phase_seconds - _TIME_EPSILON))
    left = min(total, state.countdown)
    return " ".join(["#"] * (total - left) + ["."] * left)
