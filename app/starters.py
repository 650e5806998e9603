"""Starter rituals offered on a first run: each a sensible schedule and a warm line.

Plain Python (no Textual). Nothing here is added on its own: the rituals screen shows these,
and the person picks, edits or declines them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum

from app.schedule import FROM_DONE, Schedule


@dataclass(frozen=True)
class Starter:
    """A ritual someone might like to begin with."""

    key: str
    name: str
    schedule: Schedule
    description: str
    contact_kind: str | None = None
    """The kind of contact logged with linked colleagues when it is done, if any."""


def _next(day: dt.date, weekday: int) -> pendulum.Date:
    """The first ``weekday`` (0 = Monday) on or after ``day``."""
    start = pendulum.Date(day.year, day.month, day.day)
    return start.add(days=(weekday - start.weekday()) % 7)


def starter_rituals(today: dt.date | None = None) -> list[Starter]:
    """The six starters, dated so that none is overdue on ``today``."""
    day = today or pendulum.today().date()
    return [
        Starter(
            "team-check-in",
            "Team check-in",
            Schedule.on_days("mon"),
            "Open the week with a real check-in: how is everyone, honestly?",
            "other",
        ),
        Starter(
            "debrief",
            "Debrief after a hard session",
            Schedule.times_in_days(1, 7),
            "After a heavy session, ten minutes with someone who gets it.",
            "debrief",
        ),
        Starter(
            "supervision",
            "Supervision",
            Schedule.on_days("thu", every=2, start=_next(day, 3)),
            "Steady time with someone who understands the work.",
            "supervision",
        ),
        Starter(
            "consultation-circle",
            "Peer consultation circle",
            Schedule.monthly_on_weekday(1, "wed"),
            "Think cases through together; nobody has to hold them alone.",
            "consultation",
        ),
        Starter(
            "check-in-message",
            "Check-in message to a colleague",
            Schedule.every_n_days(7, FROM_DONE),
            "A short note to someone you trust: thinking of you, how's your week?",
            "message",
        ),
        Starter(
            "support-group",
            "Support group",
            Schedule.monthly_on_weekday(-1, "tue"),
            "A room of people who know this work from the inside.",
            None,
        ),
    ]
