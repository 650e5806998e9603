"""How a ritual reads in the list, and reading a day typed for the calendar."""

from __future__ import annotations

from typing import Any

from pendulum import Date
from rich.cells import cell_len, set_cell_size
from textual.content import Content

from app.glyphs import use_unicode
from app.progress import SYMBOLS, Cell, score_shown
from app.rituals import RitualView, when_words
from app.schedule import (
    DUE,
    OVERDUE,
    describe,
)
from app.textclean import clean_text
from app.when import parse_day

CELL_STYLES = {
    Cell.DONE: "bold $success",
    Cell.SKIPPED: "$accent",
    Cell.MISSED: "$warning",
    Cell.DUE: "bold $accent",
    Cell.NOT_DUE: "$text-muted",
    Cell.FUTURE: "$text-muted",
    Cell.OUTSIDE: "",
    Cell.PAUSED: "$text-muted",
}

NAME_WIDTH = 22
WORDS_WIDTH = 26
WHEN_WIDTH = 13
HEADER = Content.styled(
    "  " + "Ritual".ljust(NAME_WIDTH + 1) + "How often".ljust(WORDS_WIDTH + 1) + "Next".ljust(WHEN_WIDTH)
    + "Score" + "  Streak", "$text-muted")
HEADER_NO_STREAK = Content.styled(
    "  " + "Ritual".ljust(NAME_WIDTH + 1) + "How often".ljust(WORDS_WIDTH + 1) + "Next".ljust(WHEN_WIDTH)
    + "Score", "$text-muted")
SHORT_EXAMPLES = "weekdays, tue and thu, every 2nd Tuesday, 3 times a week, monthly on the 15th"


def marker(view: RitualView, today: Date) -> tuple[str, str]:
    """A symbol and its style for the row: due now, done today, skipped today, or nothing."""
    state = view.states.get(today)
    if state == "done":
        return SYMBOLS[Cell.DONE], CELL_STYLES[Cell.DONE]
    if view.state in (DUE, OVERDUE):
        return SYMBOLS[Cell.DUE], CELL_STYLES[Cell.DUE]
    if state == "skipped":
        return SYMBOLS[Cell.SKIPPED], CELL_STYLES[Cell.SKIPPED]
    return " ", ""


LIST_WIDTH = 78
"""The cells a row takes at 80 columns (the list keeps two for its scrollbar)."""


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells, a cut marked with an ellipsis ("..." in ASCII)."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    mark = "\u2026" if use_unicode() else "..."
    if width <= len(mark):
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - len(mark)).rstrip() + mark, width)


def widths(total: int, show_streak: bool) -> tuple[int, int, int]:
    """Name, schedule and "Next" widths for a row of ``total`` cells: the name takes most of
    the room beyond 80 columns, the schedule a third of it (up to 40 cells)."""
    extra = max(0, total - LIST_WIDTH - (0 if show_streak else -8))
    words = WORDS_WIDTH + min(extra // 3, 14)
    when = WHEN_WIDTH + min(max(0, extra - (words - WORDS_WIDTH)) // 4, 6)
    name = NAME_WIDTH + extra - (words - WORDS_WIDTH) - (when - WHEN_WIDTH)
    return name, words, when


def header(total: int = LIST_WIDTH, show_streak: bool = True) -> Content:
    """The column heads over rows of ``total`` cells."""
    name, words, when = widths(total, show_streak)
    text = "  " + "Ritual".ljust(name + 1) + "How often".ljust(words + 1) + "Next".ljust(when) + "Score"
    return Content.styled(text + ("  Streak" if show_streak else ""), "$text-muted")


def waiting_mark() -> str:
    """What stands for a figure still being worked out from older entries: an ellipsis
    ("..." where the terminal shows only ASCII)."""
    return "\u2026" if use_unicode() else "..."


def score_text(view: RitualView, waiting: bool = False) -> str:
    """The score, or "new" until there is history enough for it to mean something
    (``waiting``: a quiet mark while older entries are still being read)."""
    if waiting:
        return waiting_mark().rjust(5)
    return f"{view.score:>4}%" if score_shown(view.asked) else "  new"


def row(view: RitualView, today: Date, show_streak: bool, total: int = LIST_WIDTH, *, waiting: bool = False) -> Content:
    """One line of the list, fitted to ``total`` cells (78 at 80 columns); ``waiting``: the
    score and streak are still being worked out (screens/rituals/older.py)."""
    name_width, words_width, when_width = widths(total, show_streak)
    symbol, style = marker(view, today)
    if view.paused_until is not None:
        symbol, style = SYMBOLS[Cell.PAUSED], CELL_STYLES[Cell.PAUSED]
    name = fit(clean_text(view.record.name), name_width)
    words = describe(view.schedule, short=True) if view.schedule else "(schedule unclear)"
    when = when_words(view, today)
    if len(when) > when_width and view.paused_until is not None:
        when = "paused"
    parts: list[Any] = [
        (symbol, style),
        " ",
        (name, "bold" if view.state in (DUE, OVERDUE) else ""),
        " ",
        (fit(words, words_width), "$text-muted"),
        " ",
        fit(when, when_width),
        score_text(view, waiting),
    ]
    if show_streak and waiting:
        parts.append((waiting_mark().rjust(8), "$text-muted"))
    elif show_streak:
        parts.append((f"{view.streak:>8}" if view.streak else "       -", "$text-muted"))
    return Content.assemble(*parts)


def read_calendar_day(text: str, today: Date) -> Date | None:
    """A start or end date: empty, "today", "tomorrow", 2026-12-01, or a past day."""
    cleaned = clean_text(text).strip().lower()
    if not cleaned:
        return None
    if cleaned == "tomorrow":
        return today.add(days=1)
    try:
        return Date.fromisoformat(cleaned)
    except ValueError:
        pass
    return parse_day(cleaned, today)


def summary_line(due: int, soon: int, any_rituals: bool, width: int) -> Content:
    """The line above the list: how many are due and coming up, then as many of the marks'
    meanings as fit whole in ``width`` (a legend cut mid-item, "/ skipped  =", explains nothing)."""
    if not any_rituals:
        return Content.styled("Rituals are the steady practices that keep you going.", "$text-muted")
    said = " · ".join([f"{due} due now" if due else "Nothing due now", f"{soon} coming up this week"])
    room = width - 3 - len(said)
    legend = ""
    for cell, word in ((Cell.DUE, "due"), (Cell.DONE, "done today"), (Cell.SKIPPED, "skipped"), (Cell.PAUSED, "paused")):
        item = f"{'   ' if not legend else '  '}{SYMBOLS[cell]} {word}"
        if len(legend) + len(item) > room:
            break
        legend += item
    return Content.assemble((said, "bold"), (legend, "$text-muted"))
