"""Any terminal size, a storm of resizes, no colour, plain consoles: Tend keeps its head."""

from __future__ import annotations

import random

import pytest

from app.tui import MODE_NAMES
from screens.toosmall import TooSmallScreen


async def test_a_tiny_window_gets_a_calm_note_that_leaves_when_it_grows(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("rituals")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("t")  # screen keys wait until there is room
        await pilot.pause()
        assert app.current_mode == "rituals"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        assert app.current_mode == "rituals"


@pytest.mark.parametrize("mode", MODE_NAMES)
async def test_every_screen_survives_the_smallest_and_largest_sizes(make_app, mode: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(mode)
    async with app.run_test(size=(80, 24)) as pilot:
        for width, height in [(20, 8), (300, 100), (50, 14), (49, 13), (120, 40), (80, 24)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
        assert app.is_running
        assert not isinstance(app.screen, TooSmallScreen)
        assert app.current_mode == mode


@pytest.mark.slow
async def test_a_burst_of_200_resizes_across_the_screens(make_app) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(200)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for n in range(200):
            if n % 40 == 0:
                await pilot.press("tsbcr"[n // 40])
            await pilot.resize_terminal(rng.randint(20, 300), rng.randint(8, 100))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.is_running
        assert not isinstance(app.screen, TooSmallScreen)
        assert app.current_mode == "rituals"
