"""Someone new due now, a snooze, an archive: the keys ``w``, ``z`` and ``A`` on the list and
on a card, the same flow from either (see :func:`app.people.resting`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.content import Content

from app.models import Colleague
from app.people import archive, reach_out_now, read_day, snooze
from app.textclean import clean_text
from screens.colleagues.rows import now
from screens.dialogs import TextPrompt

if TYPE_CHECKING:
    from screens.shell import TendShell


def reach_now(app: TendShell, colleague: Colleague) -> None:
    """Count someone new as due now (they asked, or you want to)."""
    saved = None
    with app.saving() as attempt:
        saved = reach_out_now(app.store, colleague.id or 0)
    if attempt.ok and saved is not None:
        app.notify(f"{saved.name} is due now: say hello whenever you are ready.", markup=False)


def snooze_or_wake(app: TendShell, colleague: Colleague) -> None:
    """Ask until when to snooze them; if they are snoozed, wake them now."""
    today = now().date()
    if colleague.snoozed_until is not None and today < colleague.snoozed_until:
        snooze_until(app, colleague, None)
        return

    def check(text: str) -> str | None:
        try:
            day = read_day(text, today)
        except ValueError as error:
            return str(error)
        return None if day > today else "A day after today, please."

    app.push_screen(
        TextPrompt(
            Content.assemble("Snooze ", (clean_text(colleague.name), "bold"),
                             " until when? Nothing is due for them before then; the history stays."),
            placeholder="12 Dec, 2026-12-12, or 2 weeks",
            validate=check,
            limit=40,
        ),
        lambda text: snooze_until(app, colleague, read_day(text, today)) if text else None,
    )  # fmt: skip


def snooze_until(app: TendShell, colleague: Colleague, until: dt.date | None) -> None:
    """Snooze them until ``until`` (None: wake them), and say so."""
    saved = None
    with app.saving() as attempt:
        saved = snooze(app.store, colleague.id or 0, until)
    if attempt.ok and saved is not None:
        if saved.snoozed_until is None:
            app.notify(f"{saved.name} is awake again.", markup=False)
        else:
            app.notify(f"Snoozed {saved.name} until {saved.snoozed_until:%a %-d %b}.", markup=False)


def archive_or_bring_back(app: TendShell, colleague: Colleague, *, archive_key: str, show_key: str) -> None:
    """Archive someone who moved on (history kept), or bring back someone archived.
    ``archive_key`` and ``show_key`` are the keys that bring them back and list the archived,
    as the message names them."""
    saved = None
    with app.saving() as attempt:
        saved = archive(app.store, colleague.id or 0, not colleague.archived)
    if attempt.ok and saved is not None:
        if saved.archived:
            app.notify(f"Archived {saved.name}; their history stays. {archive_key} on them brings them back "
                       f"({show_key} shows the archived).", markup=False)  # fmt: skip
        else:
            app.notify(f"{saved.name} is back on your list.", markup=False)
