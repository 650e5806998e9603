"""Starter rituals: six sensible, warm, valid suggestions, none overdue on the day offered."""

from __future__ import annotations

import pendulum
import pytest

from app.schedule import Schedule, describe, status
from app.starters import starter_rituals

TODAYS = [pendulum.date(2026, 11, 25), pendulum.date(2028, 2, 29), pendulum.date(2026, 3, 8)]


def test_the_six_starters_from_the_brief() -> None:
    names = [s.name for s in starter_rituals(TODAYS[0])]
    assert names == [
        "Team check-in",
        "Debrief after a hard session",
        "Supervision",
        "Peer consultation circle",
        "Check-in message to a colleague",
        "Support group",
    ]
    assert len({s.key for s in starter_rituals(TODAYS[0])}) == 6


@pytest.mark.parametrize("today", TODAYS)
def test_starters_are_valid_and_never_start_overdue(today: pendulum.Date) -> None:
    for starter in starter_rituals(today):
        assert Schedule.from_dict(starter.schedule.to_dict()) == starter.schedule
        assert status(starter.schedule, {}, today, since=today).state != "overdue"
        assert describe(starter.schedule)


def test_descriptions_are_one_short_warm_line() -> None:
    for starter in starter_rituals(TODAYS[0]):
        text = starter.description
        assert "\n" not in text and 20 < len(text) <= 76
        assert not any(word in text.lower() for word in ("must", "should", "failure", "symptom"))


def test_supervision_is_every_other_thursday_from_the_next_one() -> None:
    supervision = next(s for s in starter_rituals(TODAYS[0]) if s.key == "supervision")
    assert describe(supervision.schedule) == "every 2nd Thursday"
    assert supervision.schedule.start == pendulum.date(2026, 11, 26)
    assert supervision.contact_kind == "supervision"


def test_contact_kinds_are_ones_the_colleagues_screen_knows() -> None:
    from app.people import CONTACT_KINDS

    known = {key for key, _ in CONTACT_KINDS}
    for starter in starter_rituals(TODAYS[0]):
        assert starter.contact_kind is None or starter.contact_kind in known
