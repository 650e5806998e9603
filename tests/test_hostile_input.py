"""Hostile text, wherever it comes from, is shown as the text it is and never acts.

It arrives four ways: typed, pasted, imported (a Tend export or an address book), or written
into the data file by hand. Whatever the way, every screen that shows it must show the
cleaned text literally (``[bold]Ann[/bold]`` reads as those characters), send no control
character to the terminal, and never turn it into an action: a click on any cell leaves the
same screen in the same mode.

The walls, from outside in: the app strips controls from every paste and notification; the
store cleans text on every save, and again as it reads a file that may hold text it did not
clean; screens show user text as data (``Content``), never as markup.
"""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import Any

import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Input, Static, TextArea

from app.cli import main as tend_main
from app.models import (
    BodyScan,
    BreathingPattern,
    Colleague,
    Contact,
    MessageTemplate,
    Ritual,
    RitualEntry,
    Settings,
)
from app.storage import Store
from app.textclean import clean_text, json_may_hold_unclean_text, strip_controls
from app.tui import TendApp
from tests.conftest import HOSTILE
from tests.hostile_data import shown_form, write_data_file, write_export, write_vcf
from tests.screentext import (
    CONTROL,
    assert_no_controls,
    click_actions,
    screen_text,
    squash,
    sweep_clicks,
)

ROOT = Path(__file__).resolve().parents[1]

PIECES = st.sampled_from(
    [
        "[", "]", "[/", "[/]", "[b]", "[@click=app.quit]", "[@click=app.go('rituals')]", "@click=",
        "[link=https://example.invalid]", "\x1b", "\x1b[2J", "\x1b]0;title\x07", "\x1b]52;c;aGk=\x07",
        "\x1b]8;;https://x.invalid\x1b\\", "\x9b", "\x9d", "\x85", "\x00", "\x7f", "\u202e", "\u2066",
        "\u200f", "\u200b", "\ufeff", "🧘", "❤️\u200d🩹", "李", "{name}", "%s", "\\u001b", "\t", "\n",
    ]
)  # fmt: skip
"""Pieces that have broken terminal apps before, to be mixed with ordinary text."""

HOSTILE_TEXT = st.lists(
    st.one_of(PIECES, st.text(max_size=8), st.text(alphabet="xy ", min_size=100, max_size=400)),
    min_size=1,
    max_size=8,
).map("".join)
"""Text mixing brackets, ``[/``, ``@click=``, ESC, C1 and bidi controls, emoji and long runs."""


def literal_prefix(text: str, size: int = 10) -> str:
    """The start of how ``text`` should read on screen (short enough for any column)."""
    return shown_form(text)[:size].rstrip()


def assert_shown(app: TendApp, texts: list[str], where: str) -> None:
    """Each text's cleaned form is on screen, character for character (its start, at least)."""
    shown = squash(screen_text(app))
    for text in texts:
        prefix = literal_prefix(text)
        if prefix:
            assert prefix in shown, f"{where}: {prefix!r} (from {text!r}) is not on screen"


def notifications(app: TendApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


def assert_clean_notifications(app: TendApp) -> None:
    for message in notifications(app):
        assert CONTROL.search(message) is None, repr(message)


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.pause()


# --------------------------------------------------------------------------- the walls


@settings(max_examples=300, deadline=None)
@given(st.one_of(HOSTILE_TEXT, st.text()), st.booleans())
def test_json_of_cleaned_text_never_looks_hand_edited(text: str, multiline: bool) -> None:
    """So the store's check of the raw file costs nothing for files Tend wrote itself."""
    cleaned = clean_text(text, multiline=multiline)
    assert not json_may_hold_unclean_text(orjson.dumps({"name": cleaned, "list": [cleaned]}))


@settings(max_examples=300, deadline=None)
@given(st.one_of(HOSTILE_TEXT, st.text()))
def test_json_holding_any_control_is_noticed(text: str) -> None:
    """Anything clean_text would take out (newlines and tabs aside) makes the file suspect."""
    plain = text.replace("\r\n", "\n")
    if strip_controls(plain) != plain:
        assert json_may_hold_unclean_text(orjson.dumps({"name": text}))


def test_every_hostile_string_in_a_file_makes_it_suspect() -> None:
    for text in HOSTILE:
        if strip_controls(text.replace("\r\n", "\n")) != text:
            assert json_may_hold_unclean_text(orjson.dumps(text)), repr(text)
    assert not json_may_hold_unclean_text(orjson.dumps(["C:\\users", "a\\\\u", "tab\there\nnext"]))


def test_a_hand_edited_file_is_read_clean(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    write_data_file(folder)
    store = Store.open(folder)
    checked = 0
    for cls in (Colleague, Contact, Ritual, RitualEntry, BodyScan, BreathingPattern, MessageTemplate):
        records = store.all(cls)
        assert records, cls
        for record in records:
            assert record == record.cleaned(), record
            assert store.get(cls, record.id or 0) == record
            checked += 1
    assert checked == 6 * len(HOSTILE) + 1  # one scan
    settings_ = store.settings()
    assert settings_ == settings_.cleaned() and isinstance(settings_, Settings)
    draft = store.draft("colleague-form")
    assert draft is not None and not CONTROL.search(draft["name"]) and draft["name"].strip()
    # Nothing on disk was rewritten just by reading it.
    assert "\\u001b" in (folder / "tend.json").read_text()


def test_tends_own_saves_stay_on_the_fast_path(store: Store) -> None:
    """Text cleaned on the way in never makes the file look hand-edited (no cost on reading)."""
    for text in [*HOSTILE, "C:\\users\\u1", "a\\b"]:
        store.add(Colleague(name=text or "x", notes=text, reach=[text], tags=[text]))
        store.add(Ritual(name=text or "x", note=text))
    store.save_draft("colleague-form", {"name": strip_controls("\x1b[2Jhalf typed")})
    reopened = Store.open(store.paths.root)
    reopened.all(Colleague)
    assert reopened._storage is not None and reopened._storage.unclean is False


async def test_a_paste_reaches_a_field_without_its_controls(make_app: Any) -> None:
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await settle(pilot)
        for text in HOSTILE:
            name = app.screen.query_one("#form-name", Input)
            name.value = ""
            name.focus()
            app.post_message(events.Paste(text))
            await settle(pilot)
            assert not CONTROL.search(name.value), repr(name.value)
            assert_no_controls(app, f"name field after pasting {text!r}")
        notes = app.screen.query_one("#form-notes", TextArea)
        notes.focus()
        app.post_message(events.Paste("\n".join(HOSTILE)))
        await settle(pilot)
        assert "\x1b" not in notes.text and "\n" in notes.text
        assert_no_controls(app, "notes after pasting every hostile string")


async def test_notifications_never_carry_controls(make_app: Any) -> None:
    app = make_app("today")
    async with app.run_test(size=(80, 24)) as pilot:
        for text in HOSTILE:
            app.notify(f"Saved {text}.", title=text, markup=False)
        await settle(pilot)
        assert_clean_notifications(app)
        assert_no_controls(app, "toasts")


def test_every_notification_in_the_code_is_plain_text() -> None:
    """A name in a notification must never be read as markup: every call says markup=False."""
    offenders = []
    for path in [*sorted((ROOT / "screens").glob("*.py")), ROOT / "app" / "tui.py"]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify"):
                continue
            if isinstance(node.func.value, ast.Call) and getattr(node.func.value.func, "id", "") == "super":
                continue  # TendApp.notify passing its arguments on
            markup = next((k.value for k in node.keywords if k.arg == "markup"), None)
            if not (isinstance(markup, ast.Constant) and markup.value is False):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


class _Trap(App[None]):
    """An app with one line of text that would quit when clicked (markup, as a bug would)."""

    def compose(self) -> ComposeResult:
        yield Static("plain text")
        yield Static(Content.from_markup("[@click=app.quit]click me and Tend quits[/]"))


async def test_the_click_sweep_would_catch_text_that_acts() -> None:
    app = _Trap()
    async with app.run_test(size=(40, 4)) as pilot:
        assert [cell[:2] for cell in click_actions(app)][:1] == [(0, 1)]
        with pytest.raises(AssertionError, match="closed Tend|switched|opened or closed"):
            await sweep_clicks(pilot)
