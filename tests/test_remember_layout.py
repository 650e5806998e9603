"""Today's "Coming up:" line of dates to remember starts in the same column as the rows of
the sections above and below it, not one to the left."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest

from app.models import Colleague, Contact
from app.storage import Store
from tests.screentext import screenshot_lines

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> pendulum.DateTime:
    monkeypatch.setattr(pendulum, "now", lambda tz=None: NOW.in_timezone(tz) if tz else NOW)
    monkeypatch.setattr(pendulum, "today", lambda tz=None: NOW.start_of("day"))
    return NOW


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


async def test_coming_up_lines_up_with_the_rows_around_it(make_app: Callable[..., Any], store: Store, clock: Any) -> None:
    long_ago = NOW.subtract(years=1)
    store.add(Colleague(name="Amara", created=long_ago, birthday=pendulum.date(1980, 11, 28)))
    mo = store.add(Colleague(name="Mo Said", ideal_days=30, limit_days=31, created=long_ago))
    store.add(Contact(colleague_id=mo.id or 0, when=NOW.subtract(days=33)))
    app = make_app("today")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screenshot_lines(app)
        [coming] = [line for line in lines if "Coming up:" in line]
        [overdue] = [line for line in lines if "Mo Said" in line]
        [scan] = [line for line in lines if "No body scan yet" in line]
        assert indent(coming) == indent(overdue) == indent(scan) == 3
