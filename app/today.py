"""What Today shows, worked out from the records (no Textual here).

Today gathers, for one moment: a greeting, the colleagues most due for a check-in, the rituals
due (today and overdue), and a glance at the last body scan. Each function takes the records
and ``now`` so it can be tested with any data at any time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pendulum
from pendulum import DateTime

from app.models import Colleague, Contact
from app.people import Standing, Status, by_priority, describe_last, role_label, standing

COLLEAGUES_SHOWN = 3


def greeting(now: DateTime) -> str:
    """A short greeting by the time of day, and today's date."""
    hour = now.hour
    if 5 <= hour < 12:
        hello = "Good morning"
    elif 12 <= hour < 17:
        hello = "Good afternoon"
    elif 17 <= hour < 22:
        hello = "Good evening"
    else:
        hello = "Hello, late as it is"
    return f"{hello}. {now.format('dddd D MMMM')}"


def last_contacts(contacts: Iterable[Contact]) -> dict[int, DateTime]:
    """The latest contact time for each colleague id."""
    latest: dict[int, DateTime] = {}
    for contact in contacts:
        seen = latest.get(contact.colleague_id)
        if seen is None or contact.when > seen:
            latest[contact.colleague_id] = contact.when
    return latest


@dataclass(frozen=True)
class ColleagueDue:
    colleague: Colleague
    standing: Standing

    @property
    def status(self) -> str:
        """Symbol and word, e.g. ``» due``."""
        return self.standing.status.badge

    @property
    def detail(self) -> str:
        """Role and how long since the last contact."""
        role = role_label(self.colleague.role).lower()
        last = describe_last(self.standing.days_since)
        return f"{role}, last in touch {last}" if last != "never" else f"{role}, no contact logged yet"


def colleagues_due(
    colleagues: Iterable[Colleague],
    contacts: Iterable[Contact],
    now: DateTime | None = None,
    limit: int = COLLEAGUES_SHOWN,
) -> list[ColleagueDue]:
    """Colleagues due or overdue for a check-in, most due first, at most ``limit``."""
    now = pendulum.now() if now is None else now
    latest = last_contacts(contacts)
    due = [
        ColleagueDue(c, standing(latest.get(c.id or 0), c.ideal_days, c.limit_days, now))
        for c in colleagues
    ]
    due = [d for d in due if d.standing.status is not Status.ON_TRACK]
    return by_priority(due, key=lambda d: (d.colleague.name, d.standing))[:limit]
