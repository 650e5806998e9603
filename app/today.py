"""What Today shows, worked out from the records (no Textual here).

Today gathers, for one moment: a greeting, the colleagues most due for a check-in, the rituals
due (today and overdue), and a glance at the last body scan. Each function takes the records
and ``now`` so it can be tested with any data at any time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pendulum import DateTime

from app.models import Colleague, Contact
from app.people import Standing, Status, describe_last, rank_colleagues, role_label

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
    ranked = rank_colleagues(list(colleagues), list(contacts), now)
    return [
        ColleagueDue(item.colleague, item.where)
        for item in ranked
        if item.where.status is not Status.ON_TRACK
    ][:limit]
