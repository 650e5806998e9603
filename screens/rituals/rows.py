"""How a ritual reads in the list, and reading a day typed for the calendar."""

from __future__ import annotations

from typing import Any

from pendulum import Date
from rich.cells import set_cell_size
from textual.content import Content

from app.progress import SYMBOLS, Cell
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


def row(view: RitualView, today: Date, show_streak: bool) -> Content:
    """One line of the list, fitted to 78 cells."""
    symbol, style = marker(view, today)
    name = set_cell_size(clean_text(view.record.name), NAME_WIDTH)
    words = describe(view.schedule, short=True) if view.schedule else "(schedule unclear)"
    if len(words) > WORDS_WIDTH:
        words = words[: WORDS_WIDTH - 3].rstrip() + "..."
    parts: list[Any] = [
        (symbol, style),
        " ",
        (name, "bold" if view.state in (DUE, OVERDUE) else ""),
        " ",
        (set_cell_size(words, WORDS_WIDTH), "$text-muted"),
        " ",
        set_cell_size(when_words(view, today), WHEN_WIDTH),
        f"{view.score:>4}%",
    ]
    if show_streak:
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


