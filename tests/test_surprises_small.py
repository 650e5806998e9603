"""Issue 18, small things a person notices: the pause key says what it will do, the
heatmap keeps its month names, ritual rows stay one line at 60 columns, a calm late greeting."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from app.models import Ritual
from app.progress import heatmap
from app.schedule import Schedule
from app.storage import Store
from app.today import greeting
from app.tui import TendApp
from screens.breathe import BreatheScreen
from tests.screentext import screen_lines


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


async def test_the_pause_key_says_carry_on_while_paused(make_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(BreatheScreen, "clock", FakeClock())
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "space Pause" in screen_lines(app)[-1]
        await pilot.press("space")
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "space Carry on" in footer and "Pause" not in footer
        await pilot.press("space")
        await pilot.pause()
        assert "space Pause" in screen_lines(app)[-1]
        assert app.screen.run.paused is False  # type: ignore[attr-defined]


def test_the_heatmap_names_the_month_after_a_first_week_from_the_month_before() -> None:
    # The map starts on Monday 30 March: that week used to take the room "Apr" needed.
    hm = heatmap(Schedule.daily(), {}, pendulum.Date(2026, 7, 10), weeks=15)
    assert hm.first_monday == pendulum.Date(2026, 3, 30)
    line = hm.month_line()
    assert line[4 + 2 : 4 + 2 + 3] == "Apr"
    assert line.split() == ["Apr", "May", "Jun", "Jul"]


def test_the_heatmap_names_a_month_that_begins_in_its_last_week() -> None:
    hm = heatmap(Schedule.daily(), {}, pendulum.Date(2026, 6, 1), weeks=12)
    assert hm.month_line().split()[-1] == "Jun"


async def test_ritual_rows_stay_one_line_at_60_columns(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d")
    store.update_settings(welcomed=True)
    names = ["Supervision", "Walk after work", "Peer group"]
    for name in names:
        store.add(Ritual(name=name))
    app = TendApp(store, start_mode="rituals")
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        for name in names:
            rows = [line for line in lines if name in line]
            assert rows and all("every day" in row for row in rows), rows
        # No line is the wrapped tail of a row (a score or a streak alone).
        assert not [line for line in lines if "0%" in line and "every day" not in line]


@pytest.mark.parametrize("hour", [22, 23, 0, 3])
def test_late_at_night_the_greeting_is_plain(hour: int) -> None:
    said = greeting(pendulum.datetime(2026, 11, 25, hour, 10, tz="UTC"))
    assert said.startswith("Hello. ")
    assert "late" not in said
