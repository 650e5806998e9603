"""Every scan cue asks in the direction its scale runs, and sleep's trend says it runs the
other way (issue 16, item 1)."""

from __future__ import annotations

import re

from app import bodyscan as bs
from tests.test_scan_screen import QUICK_ROW, screen_text, seed_history


def test_every_load_cue_asks_how_much_so_more_means_a_higher_number() -> None:
    """0 is none and 3 strong, so each cue ends by asking how much (how drained, how foggy),
    never how much energy or clarity is left, which would run the other way."""
    for item in bs.ITEMS:
        if item.scale is not bs.LOAD_SCALE:
            continue
        question = re.split(r"(?<=[.?!])\s+", item.cue)[-1]
        assert question.startswith("How ") and question.endswith("?"), item.key
        assert not re.search(r"\b(energy|clear|rested|calm)\b", question, re.I), item.key


def test_the_two_cues_that_ran_backwards_now_ask_about_the_load() -> None:
    assert "drained" in bs.ITEM_BY_KEY["depletion"].cue
    assert "energy your body has left" not in bs.ITEM_BY_KEY["depletion"].cue
    assert "foggy" in bs.ITEM_BY_KEY["fog"].cue
    assert "how clear" not in bs.ITEM_BY_KEY["fog"].cue.lower()


async def test_the_trend_table_labels_sleep_as_running_the_other_way(make_app, store, frozen) -> None:  # type: ignore[no-untyped-def]
    seed_history(store, frozen)
    app = make_app("scan")
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.press(*QUICK_ROW)
        await pilot.pause()
        text = screen_text(app)
        sleep_row = next(line for line in text.splitlines() if line.startswith(" sleep"))
        assert sleep_row.startswith(" sleep (+)")
        assert "(+) for sleep a taller bar is a better night" in text
