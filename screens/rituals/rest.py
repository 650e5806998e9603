"""A pause and an archive: the keys ``p`` and ``z`` on the list (``p`` on a ritual's detail
too). A pause leaves a ritual for a while (nothing is due or counted meanwhile); an archive
takes it out of the lists with its history kept. Each change goes on the screen's undo stack
through ``push``, so ``u`` takes it back."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pendulum
from pendulum import Date

from app.models import Ritual
from app.rituals import PAUSE_MAX_DAYS, RitualView, add_pause, day_words, end_pause, pause_around, set_archived, too_far_back
from app.textclean import clean_text
from app.when import FUTURE_DAY_EXAMPLES, WhenError, parse_day, parse_day_ahead
from screens.dialogs import TextPrompt
from screens.shell import TendShell

Push = Callable[[str, Callable[[], None]], None]
"""The screen's undo stack: a label for ``u`` and what takes the change back."""


def ask_pause(app: TendShell, ritual_id: int, push: Push) -> None:
    """Pause from today (or "12/12 to 5/1") until a day; on a paused ritual, end the pause."""
    today = pendulum.today().date()
    record = app.store.get(Ritual, ritual_id)
    if record is None:
        return
    if pause_around(record, today) is not None:
        pause_change(app, push, end_pause, ritual_id, today, label="ended the pause", told="Welcome back: the pause has ended.")
        return

    def check(text: str) -> str | None:
        try:
            read_pause(text, today)
        except WhenError as error:
            return str(error)
        return None

    def chosen(text: str | None) -> None:
        if text is None:
            return
        first, last = read_pause(text, today)
        told = f"Paused until {day_words(last, today)}: nothing is due or counted meanwhile."
        pause_change(app, push, add_pause, ritual_id, first, last, label="the pause", told=told)

    app.push_screen(TextPrompt(f"Pause it until which day? ({FUTURE_DAY_EXAMPLES}; or 21/12 to 4/1)",
                               placeholder="in 2 weeks", validate=check), chosen)


def pause_change(app: TendShell, push: Push, change: Callable[..., tuple[Ritual, Ritual] | None], *args: Any,
                 label: str, told: str) -> None:
    """Save a pause (or its end) and put it on the undo stack."""
    store = app.store
    with app.saving() as attempt:
        done = change(store, *args)
    if attempt.ok and done is not None:
        before, saved = done

        def undo() -> None:
            store.update(before, base=saved)

        push(f"{label} of {clean_text(before.name)}", undo)
        app.notify(told + " u undoes it.", markup=False)


def archive_or_restore(app: TendShell, view: RitualView, push: Push) -> None:
    """Archive the ritual (its history is kept), or restore it when it is archived."""
    store = app.store
    restore = view.record.archived
    with app.saving() as attempt:
        done = set_archived(store, view.id, not restore)
    if attempt.ok and done is not None:
        before, saved = done
        word = "restored" if restore else "archived"

        def undo() -> None:
            store.update(before, base=saved)

        push(f"{word} {clean_text(before.name)}", undo)
        app.notify("Restored: it is back in the list." if restore
                   else "Archived: it leaves the lists, its history is kept. v shows archived ones.", markup=False)


def read_pause(text: str, today: Date) -> tuple[Date, Date]:
    """A pause typed as its last day ("12 Jan", "in 3 weeks": from today) or as a stretch
    ("21/12 to 4/1", "last monday to friday"); raises WhenError in plain words."""
    cleaned = clean_text(text).strip()
    if not cleaned:  # never a guess: enter alone is not "until today"
        raise WhenError("Until which day? For example in 2 weeks, 4 Jan, or 21/12 to 4/1.")
    parts = re.split(r"\s+(?:to|until|till)\s+|\s+-\s+", cleaned, maxsplit=1)
    if len(parts) == 2:
        found = []
        for read in (parse_day_ahead, parse_day):  # the nearer of the two: "16 Nov" is last week
            try:
                found.append(read(parts[0], today))
            except WhenError as error:
                problem = error
        if not found:
            raise problem
        first = min(found, key=lambda day: abs((day - today).days))
        last = parse_day_ahead(parts[1], first)
    else:
        first, last = today, parse_day_ahead(cleaned, today)
    refused = too_far_back(first, today)
    if refused:
        raise WhenError(refused)
    if (last - first).days > PAUSE_MAX_DAYS:
        raise WhenError("A pause of more than three years: check the dates? (Archive it instead, with z.)")
    return first, last
