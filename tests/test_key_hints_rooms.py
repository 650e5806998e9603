"""Key hints in the colleagues and rituals rooms and the shared dialogs are built from the
bindings they describe (screens.base.key_hints), so a hint names the key that really works."""

from __future__ import annotations

from typing import Any

from screens.colleagues import ColleagueForm, TemplatePicker
from screens.dialogs import NoticeDialog, ProgressDialog
from screens.rituals import RitualForm
from tests.screentext import screen_text

SIZE = (80, 24)


async def test_the_colleague_form_hint_names_its_keys_and_tab_moves_on(make_app: Any) -> None:
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ColleagueForm)
        assert "^s Save   tab Next field   esc Cancel" in screen_text(app)
        first = app.screen.focused
        await pilot.press("tab")
        assert app.screen.focused is not first


async def test_the_ritual_form_and_the_message_picker_hints(make_app: Any, store: Any) -> None:
    from app.models import Colleague

    store.add(Colleague(name="Ann Lee"))
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if not isinstance(app.screen, RitualForm):
            while len(app.screen_stack) > 1:  # the starter offer on a first visit
                app.pop_screen()
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
        assert isinstance(app.screen, RitualForm)
        assert "^s Save   tab Next field   esc Cancel" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TemplatePicker)
        # A built-in message is highlighted: it can be copied, not edited or deleted, so the
        # hint names what works (test_colleagues_screen: one's own adds e Edit and d Delete).
        assert "c Copy   n New   esc Close" in screen_text(app)


async def test_the_shared_dialogs_hints(make_app: Any) -> None:
    app = make_app("today")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(NoticeDialog("Address book", "Added 2 colleagues."))
        await pilot.pause()
        assert "⏎ Close" in screen_text(app)
        app.pop_screen()
        app.push_screen(ProgressDialog("Importing big.vcf", "Reading cards"))
        await pilot.pause()
        assert "esc Stop (nothing is changed)" in screen_text(app)
