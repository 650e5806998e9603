"""The colleagues room: an address book is read once, off the UI thread, whatever its size."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

import app.vcard as vcard
from app.models import Colleague
from app.storage import Store
from screens.dialogs import NoticeDialog
from tests.notices import Notices

SIZE = (80, 24)
CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL:+44 7700 900123\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hal Ito\r\nEMAIL:hal@example.org\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize("cards", [1, 400])
async def test_an_address_book_of_any_size_is_parsed_once_in_a_worker(
    make_app: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cards: int
) -> None:
    book = tmp_path / "phone.vcf"
    book.write_text(CARDS * cards, encoding="utf-8")
    parsed_on: list[bool] = []
    parse = vcard.parse_vcards

    def watched(*args: Any, **kwargs: Any) -> Any:
        parsed_on.append(threading.current_thread() is threading.main_thread())
        return parse(*args, **kwargs)

    monkeypatch.setattr(vcard, "parse_vcards", watched)
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(book)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        assert "Added 2 colleagues from phone.vcf." in str(app.screen.message)
    assert parsed_on == [False]  # once, and not on the UI thread
    assert sorted(c.name for c in store.all(Colleague)) == ["Ann Lee", "Hal Ito"]


async def test_a_file_that_is_no_address_book_is_told_and_adds_nothing(make_app: Any, store: Store, tmp_path: Path) -> None:
    book = tmp_path / "photo.vcf"
    book.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    app = make_app("colleagues")
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(book)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, NoticeDialog)
    assert notices.raised and all(n.title == "Not imported" for n in notices.raised), [n.message for n in notices.raised]
    assert store.all(Colleague) == []
