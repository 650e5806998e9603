"""Rows of the colleagues list, and the small helpers the screen and its dialogs share."""

from __future__ import annotations

from collections.abc import Iterable

import pendulum
from pendulum import DateTime

from app.models import Colleague, Contact
from app.people import (
    Ranked,
    matches,
    rank_colleagues,
)

CSS_FILE = "colleagues.tcss"
FORM_DRAFT = "colleague-form"
TEMPLATE_DRAFT = "template-editor"


def now() -> DateTime:
    """The current local time (one place, so tests can fix it)."""
    return pendulum.now()


def short_cadence(ideal: int, limit: int | None) -> str:
    """The cadence for a narrow column: "every 7 days" or "every 7-14 days"."""
    if limit is None or limit <= ideal:
        return "every day" if ideal == 1 else f"every {ideal} days"
    return f"every {ideal}-{limit} days"


def when_text(moment: DateTime, today: DateTime) -> str:
    """A contact's time in local time: "Wed 25 Nov 14:30" (with the year if not this one)."""
    local = moment.in_timezone(today.timezone or "UTC")
    pattern = "ddd D MMM HH:mm" if local.year == today.year else "ddd D MMM YYYY HH:mm"
    return local.format(pattern)


Row = Ranked[Colleague, Contact]
"""One colleague as the list shows them: the record, their standing, their last contact."""


def build_rows(colleagues: Iterable[Colleague], contacts: Iterable[Contact], at: DateTime) -> list[Row]:
    """Every colleague with their standing and last contact, most due first."""
    return rank_colleagues(colleagues, contacts, at)


def row_matches(row: Row, query: str) -> bool:
    colleague = row.colleague
    return matches(
        query, name=colleague.name, role=colleague.role, tags=colleague.tags, notes=colleague.notes
    )


def default_kind(role: str) -> str:
    """The kind of contact most likely with someone in this role."""
    return {"supervisor": "supervision", "consultation": "consultation"}.get(role, "message")


