"""A check-in message calls someone by the name they go by, not their whole stored name
(issue 17, item 2): from the colleagues screen and from the scan's check-in."""

from __future__ import annotations

from typing import Any

from app.models import Colleague
from app.people import BUILTIN_TEMPLATES, fill_template

SIZE = (80, 24)


async def test_a_message_says_hi_amara_not_the_whole_name_with_the_title(make_app: Any, store: Any) -> None:
    store.add(Colleague(name="Dr. Amara Okonkwo-Fitzgerald", role="supervisor"))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.clipboard is not None
        assert "Amara" in app.clipboard and "Okonkwo" not in app.clipboard and "Dr." not in app.clipboard


async def test_a_name_of_their_own_wins(make_app: Any, store: Any) -> None:
    store.add(Colleague(name="Margaret Hale", call_name="Peggy"))
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m", "c")
        await pilot.pause()
        assert app.clipboard == fill_template(BUILTIN_TEMPLATES[0].text, "Peggy")
