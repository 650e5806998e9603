"""Body scan, issue 16 items 2-7: dialogs over their screen, like-with-like comparisons, plain
words instead of scores, a trusted person after a heavy scan, history a person can manage,
and the unrated rest scan."""

from __future__ import annotations

import pendulum
import pytest

from app import bodyscan as bs
from app.models import BodyScan, Colleague, Contact
from screens.scan import CheckInDialog, ResumeDialog, ScanScreen
from tests.test_scan_screen import FakeClock, screen_text

SIZE = (80, 24)
WIDE = (120, 40)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(ScanScreen, "clock", staticmethod(fake))
    return fake


def waiting_draft(store) -> None:  # type: ignore[no-untyped-def]
    store.save_draft("scan", {**bs.ScanState.new().to_dict(), "index": 5, "ratings": {"jaw": 3}})


# --------------------------------------------------------------------------- 3: dialogs sit over the scan


@pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])
async def test_the_waiting_scan_dialog_sits_centred_over_the_scan(make_app, store, size) -> None:  # type: ignore[no-untyped-def]
    waiting_draft(store)
    app = make_app("scan")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeDialog)
        lines = screen_text(app).splitlines()
        assert "Body scan" in lines[0]  # the scan's own navigation line shows around it
        box = next(i for i, line in enumerate(lines) if "A scan is waiting" in line)
        assert 2 < box < size[1] - 4  # not stuck to the top
        column = lines[box].index("A scan is waiting")
        assert column > 6  # nor to the left edge


@pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])
async def test_the_check_in_dialog_sits_centred_over_the_summary(make_app, store, frozen, size) -> None:  # type: ignore[no-untyped-def]
    ann = store.add(Colleague(name="Ann", ideal_days=30))
    store.add(Contact(colleague_id=ann.id, when=frozen.subtract(days=3)))
    app = make_app("scan")
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"00000000", "2", "3", "3", "d")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, CheckInDialog)
        lines = screen_text(app).splitlines()
        assert "Body scan" in lines[0]
        box = next(i for i, line in enumerate(lines) if "Check in with Ann" in line)
        assert box > 1 and lines[box].index("Check in with Ann") > 6


def test_snapshot_the_waiting_scan(snap_compare, make_app, store) -> None:  # type: ignore[no-untyped-def]
    waiting_draft(store)
    assert snap_compare(make_app("scan"), terminal_size=SIZE)


def test_snapshot_the_check_in(snap_compare, make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    ann = store.add(Colleague(name="Ann", ideal_days=30))
    store.add(Contact(colleague_id=ann.id, when=frozen.subtract(days=3)))
    assert snap_compare(make_app("scan"), press=[*"00000000", "2", "3", "3", "d", "1"], terminal_size=SIZE)
