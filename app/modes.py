"""Tend's main screens, declared once.

Every list of screens derives from :data:`MODES`: the app's modes and their keys, the
navigation line, the command palette, the ``tend <screen>`` subcommands, the keys the body
scan must leave alone, and the stylesheet tests. Adding a screen is one entry here, one
module under ``screens/`` and one ``.tcss`` file (see docs/developing.md).

Plain data with no Textual import, so the command line can read it without drawing anything.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    """One main screen."""

    name: str
    """The mode's name, its ``tend <name>`` subcommand, and its module ``screens.<name>``."""
    key: str
    """The key that opens it from anywhere."""
    title: str
    """Its full name: the palette's "Go to ..." and the screen's title."""
    label: str
    """Its short name on the navigation line."""
    summary: str
    """What it is for, in a few words: the subcommand's help and the palette's help line."""
    screen: str
    """Where its screen class lives, ``module:Class``, imported only when first opened."""
    place: str = ""
    """How "Go to ..." names it in a sentence ("the body scan"): its key's tooltip. Default: title."""
    usage: str = ""
    """Its command-line options in a few words, for ``tend --help`` (empty: none)."""

    @property
    def tooltip(self) -> str:
        """What its key does, in the help's words: "Go to the body scan"."""
        return f"Go to {self.place or self.title}"


MODES: tuple[Mode, ...] = (
    Mode("today", "t", "Today", "Today", "what matters before your next session", "screens.today:TodayScreen",
         usage="--until 14:50 counts down to it"),
    Mode("scan", "s", "Body scan", "Body scan", "a quick body scan", "screens.scan:ScanScreen",
         place="the body scan", usage="--guided [--seconds N] for a paced one"),
    Mode("breathe", "b", "Breathing reset", "Breathe", "a breathing reset", "screens.breathe:BreatheScreen",
         place="the breathing reset", usage="--pattern box --minutes 2 starts at once"),
    Mode("colleagues", "c", "Trusted colleagues", "Colleagues", "the people you lean on", "screens.colleagues:ColleaguesScreen",
         place="trusted colleagues"),
    Mode("rituals", "r", "Rituals", "Rituals", "your recurring practices", "screens.rituals:RitualsScreen",
         place="rituals"),
)
"""The main screens, in the order of the navigation line."""

MODE_BY_NAME: dict[str, Mode] = {mode.name: mode for mode in MODES}
MODE_NAMES: tuple[str, ...] = tuple(mode.name for mode in MODES)
MODE_KEYS: frozenset[str] = frozenset(mode.key for mode in MODES)
"""Keys that switch screens from anywhere (a screen's own keys must not reuse them)."""

DEFAULT_MODE = "today"


@dataclass(frozen=True)
class StartOptions:
    """What the command line asked of the first screen (``tend breathe --pattern box``...).

    Given to that screen when it is built; every field is optional.
    """

    until: str | None = None
    """Today: when the next session starts (``14:50``, ``12m``)."""
    guided: bool = False
    """Body scan: a paced scan."""
    seconds: int | None = None
    """Body scan: seconds per item when guided."""
    pattern: str | None = None
    """Breathing: start this pattern at once."""
    minutes: float | None = None
    """Breathing: about how long."""
    cycles: int | None = None
    """Breathing: how many cycles."""
