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
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App, ComposeResult
from textual.content import Content
from textual.keys import _character_to_key
from textual.widgets import Input, OptionList, Static, TextArea

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
from screens.colleagues import ColleagueForm, TemplateEditor
from screens.rituals import RitualForm
from screens.dialogs import ConfirmDialog
from tests.conftest import HOSTILE
from tests.hostile_data import shown_form, write_data_file, write_export, write_vcf
from tests.notices import Notices
from tests.screentext import (
    CONTROL,
    assert_no_controls,
    click_actions,
    screen_text,
    squash,
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


def notifications(notices: Notices) -> list[str]:
    return [f"{n.title} {n.message}" for n in notices]


def assert_clean_notifications(notices: Notices) -> None:
    for message in notifications(notices):
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


def test_the_raw_file_check_agrees_with_the_cleaning_on_every_character() -> None:
    """Each character of the Basic Multilingual Plane, alone in a Tend-written file: the
    check flags exactly those that cleaning would take out (hypothesis once found U+2065,
    which is kept, flagged by a range that was a character too wide), and the tag characters
    (U+E0000..U+E007F) with the planes' edges around them."""
    wrong = []
    for code in [*range(0x10000), *range(0xDFF00, 0xE0200), 0x10FFFF]:
        if 0xD800 <= code <= 0xDFFF or chr(code) in "\n\t\r":
            continue
        text = chr(code)
        removed = strip_controls(text) != text
        if json_may_hold_unclean_text(orjson.dumps({"name": f"a{text}b"})) != removed:
            wrong.append(hex(code))
    assert not wrong


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


@pytest.mark.parametrize("unclean", [False, True])
def test_names_that_clean_to_nothing_still_show_as_something(tmp_path: Path, unclean: bool) -> None:
    """A name left empty by hand (or holding only controls) reads as a plain placeholder,
    so the row can be seen, found and renamed; the file is not rewritten by reading it."""
    import orjson

    blank = "\u202e\u200b\x1b" if unclean else ""
    folder = tmp_path / "d"
    folder.mkdir(mode=0o700)
    data = {
        "_meta": {"1": {"schema": 1}},
        "colleagues": {"1": {"name": blank}, "2": {"name": "Ann"}},
        "rituals": {"1": {"name": blank, "schedule": {"kind": "daily"}}},
        "patterns": {"1": {"name": blank, "inhale": 4, "exhale": 4}},
        "templates": {"1": {"name": blank, "text": "Hi {name}"}},
    }
    (folder / "tend.json").write_bytes(orjson.dumps(data))
    store = Store.open(folder)
    assert [c.name for c in store.all(Colleague)] == ["A colleague without a name", "Ann"]
    assert store.get(Colleague, 1).name == "A colleague without a name"  # type: ignore[union-attr]
    assert [r.name for r in store.all(Ritual)] == ["A ritual without a name"]
    assert [p.name for p in store.all(BreathingPattern)] == ["A pattern without a name"]
    assert [t.name for t in store.all(MessageTemplate)] == ["A message without a name"]
    assert orjson.loads((folder / "tend.json").read_bytes())["colleagues"]["1"]["name"] == blank


def test_tends_own_saves_stay_on_the_fast_path(store: Store) -> None:
    """Text cleaned on the way in never makes the file look hand-edited (no cost on reading)."""
    for text in [*HOSTILE, "C:\\users\\u1", "a\\b"]:
        store.add(Colleague(name=text or "x", notes=text, reach=[text], tags=[text]))
        store.add(Ritual(name=text or "x", note=text))
    store.save_draft("colleague-form", {"name": strip_controls("\x1b[2Jhalf typed")})
    # The store reads a file on the slow (cleaning) path exactly when this says it may need it.
    assert json_may_hold_unclean_text(store.paths.database.read_bytes()) is False


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
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        for text in HOSTILE:
            app.notify(f"Saved {text}.", title=text, markup=False)
        await settle(pilot)
        assert len(notices.raised) == len(HOSTILE)
        assert_clean_notifications(notices)
        assert_no_controls(app, "toasts")


def test_every_notification_in_the_code_is_plain_text() -> None:
    """A name in a notification must never be read as markup: every call says markup=False."""
    offenders = []
    for path in [*sorted((ROOT / "screens").rglob("*.py")), ROOT / "app" / "tui.py"]:
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


async def test_the_cells_that_would_act_on_a_click_are_the_ones_found() -> None:
    """``click_actions`` reads the style of every cell; a click acts on text only through that
    style (Textual's ``@click`` meta), so no cell found means no text that acts. Here a real
    click on the one cell found does what it says, and a click beside it does nothing."""
    app = _Trap()
    async with app.run_test(size=(40, 4)) as pilot:
        assert click_actions(app) == [(1, "@click=app.quit")]
        await pilot.click(offset=(30, 1))  # past the end of the text
        await pilot.pause()
        assert app.is_running
        await pilot.click(offset=(3, 1))
        await pilot.pause()
        assert not app.is_running


# --------------------------------------------------------------------------- every screen

TOUR_SIZE = (100, 44)
"""Tall enough for every colleague and ritual row at once."""

def listed_on_today(app: TendApp, section: str, kind: type) -> list[str]:
    """The names of the records a Today list holds (each option's id ends in its record's id)."""
    listing = app.screen.query_one(section, OptionList)
    ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)] if listing.display else []
    return [app.store.get(kind, int(str(option_id).rsplit("-", 1)[1])).name for option_id in ids]


class Tour:
    """Walks every screen that shows user text, checking each view the same way."""

    def __init__(self, pilot: Any, texts: list[str], notices: Notices) -> None:
        self.pilot, self.app, self.texts = pilot, pilot.app, texts
        self.notices = notices
        self.views: list[str] = []

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot)

    async def look(self, where: str, expected: list[str] = ()) -> None:  # type: ignore[assignment]
        """No control reaches the terminal, the texts read literally, and no cell holds an
        action a click would run."""
        app = self.app
        assert app.is_running, where
        assert_no_controls(app, where)
        assert_shown(app, list(expected), where)
        assert click_actions(app) == [], where
        assert_clean_notifications(self.notices)
        self.views.append(where)

    async def run(self, *, every_card: bool = True) -> None:
        names = self.texts
        await self.today()
        await self.colleagues(names, every_card=every_card)
        await self.rituals(names)
        await self.breathe(names)
        await self.scan()

    async def today(self) -> None:
        app = self.app
        await self.keys("t")
        rows = listed_on_today(app, "#today-people", Colleague) + listed_on_today(app, "#today-rituals", Ritual)[:5]
        await self.look("Today", rows)
        await self.keys("m")  # a check-in message for the colleague most due
        await self.look("Today: message picker", [app.screen.colleague.name])
        await self.keys("enter")
        await self.look("Today: message copied", [app.screen.colleague.name])
        assert CONTROL.search(app.clipboard or "") is None
        await self.keys("escape")

    async def colleagues(self, names: list[str], *, every_card: bool) -> None:
        app = self.app
        await self.keys("c")
        if isinstance(app.screen, ColleagueForm):  # a half-typed form in the data comes back
            draft = app.store.draft("colleague-form") or {}
            assert app.screen.query_one("#form-name", Input).value == clean_text(draft.get("name", ""))
            await self.look("the half-typed form, back", [draft.get("name", "")])
            await self.keys("escape")
            if isinstance(app.screen, ConfirmDialog):  # unsaved work: asked first
                await self.keys("y")
        await self.look("Colleagues", names)
        screen = app.screen
        for index in range(len(screen.shown) if every_card else 1):  # each card, read literally
            colleague = screen.shown[index].colleague
            await self.keys("enter")
            contact_notes = [c.note for c in app.screen.history]
            await self.look(f"card {index}", [colleague.name, *colleague.reach, colleague.notes.split("\n")[0],
                                              *contact_notes])  # fmt: skip
            await self.keys("escape", "down")
        await self.keys("home")
        colleague = screen.current_row().colleague
        await self.keys("l")
        await self.look("log a contact", [colleague.name])
        await self.keys("enter")
        await self.look("logged (notification)", [colleague.name])
        await self.keys("e")
        await self.look("edit form", [colleague.name])
        await self.keys("escape", "d")
        await self.look("remove?", [colleague.name])
        await self.keys("n", "m")
        await self.look("message picker", [colleague.name])
        await self.keys("enter")
        await self.look("message copied", [colleague.name])
        await self.keys("escape")

    async def rituals(self, names: list[str]) -> None:
        app = self.app
        await self.keys("r")
        await self.look("Rituals", names)
        await self.keys("enter")
        view = app.screen.owner.view(app.screen.ritual_id)
        linked = [c.name for c in app.store.all(Colleague) if c.id in view.record.colleague_ids]
        notes = [e.note for e in view.entries.values()]
        await self.look("ritual detail", [view.record.name, view.record.note, *linked, *notes])
        await self.keys("escape", "space")  # done, which logs a contact with the linked colleague
        await self.look("ritual done (notification)", [])

    async def breathe(self, names: list[str]) -> None:
        app = self.app
        await self.keys("b")
        await self.look("Breathe", [])
        listing = app.screen.query_one("PatternList")
        custom = [i for i in range(listing.option_count) if (listing.get_option_at_index(i).id or "").startswith("custom-")]
        assert len(custom) >= 10
        by_key = {p.key: p for p in app.screen.patterns}
        for index in custom:  # each custom pattern's name, scrolled into view
            listing.highlighted = index
            await settle(self.pilot)
            assert_shown(app, [by_key[listing.get_option_at_index(index).id].name], f"pattern {index}")
        listing.highlighted = custom[0]
        await self.keys("enter")
        await self.look("breathing with a custom pattern", [])
        await self.keys("escape")

    async def scan(self) -> None:
        app = self.app
        await self.keys("s", "e")  # a note on the first item, pasted
        note = self.texts[1]
        app.post_message(events.Paste(note))
        await self.keys("enter")
        await self.look("scan item with a note", [note.splitlines()[0]])
        await self.keys(*"3" * 14)  # strong everywhere: the summary suggests reaching out
        summary = app.screen.summary
        assert summary is not None and app.screen.view == "summary"
        await self.look("scan summary", [])
        reach = [n for n, s in enumerate(summary.suggestions, start=1) if s.kind == "reach_out"]
        assert reach, summary.suggestions
        await self.keys(str(reach[0]))
        await self.look("check in with the colleague most due", [app.screen.colleague.name])
        await self.keys("escape", "h")
        await self.look("scan history", [])


@pytest.mark.slow
async def test_a_json_import_full_of_hostile_text_reads_literally_everywhere(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    export = write_export(tmp_path / "hostile.json")
    assert tend_main(["--data", str(folder), "import", str(export)]) == 0
    store = Store.open(folder)
    store.update_settings(welcomed=True, starters_offered=True)
    assert len(store.all(Colleague)) >= 15
    app = TendApp(store, start_mode="today")
    notices = Notices()
    async with app.run_test(size=TOUR_SIZE, message_hook=notices) as pilot:
        tour = Tour(pilot, HOSTILE, notices)
        await tour.run()
    print(f"\nhostile tour: {len(tour.views)} views")


@pytest.mark.slow
async def test_a_hand_edited_data_file_reads_literally_on_today_colleagues_and_rituals(tmp_path: Path) -> None:
    """Text written straight into tend.json (no cleaning on the way in) is cleaned as read."""
    folder = tmp_path / "d"
    write_data_file(folder)
    app = TendApp(Store.open(folder), start_mode="today")
    notices = Notices()
    async with app.run_test(size=TOUR_SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        theme = shown_form(HOSTILE[12])
        assert theme and any(f"({theme})" in n for n in notifications(notices))  # the unknown theme
        tour = Tour(pilot, HOSTILE, notices)  # the JSON import tour does the clicking
        await tour.today()
        await tour.colleagues(HOSTILE, every_card=False)
        await tour.rituals(HOSTILE)
        assert "the half-typed form, back" in tour.views and len(tour.views) > 10


# --------------------------------------------------------------------------- drafts

RITUAL_FIELDS = ("#form-name", "#form-schedule", "#form-start", "#form-end", "#form-note")


async def look_at_fields(pilot: Any, fields: dict[Any, str], where: str) -> None:
    """Each field holds its text cleaned as typed text is, and reads it literally from the start."""
    for field, text in fields.items():
        expected = clean_text(text, multiline=isinstance(field, TextArea), limit=getattr(field, "max_length", None))
        assert (field.text if isinstance(field, TextArea) else field.value) == expected, repr(text)
        if isinstance(field, Input):
            field.cursor_position = 0
    await settle(pilot)
    assert_no_controls(pilot.app, where)
    assert_shown(pilot.app, [text for field, text in fields.items() if isinstance(field, Input)], where)
    assert click_actions(pilot.app) == [], where


@pytest.mark.slow
async def test_every_hostile_string_survives_a_draft_round_trip(make_app: Any, store: Store) -> None:
    """Put straight into the ritual form's fields (as if no paste cleaning had happened), kept
    by ``save_drafts`` (what SIGHUP does), and put back by the next Tend: cleaned, shown
    literally, nothing acting. Then all of them at once in a message of one's own."""
    store.update_settings(starters_offered=True)
    store.add(Colleague(name="Ann"))
    chunks = [HOSTILE[i : i + len(RITUAL_FIELDS)] for i in range(0, len(HOSTILE), len(RITUAL_FIELDS))]
    for before, now in zip([[], *chunks], [*chunks, []]):
        app = make_app("rituals")
        async with app.run_test(size=TOUR_SIZE) as pilot:
            await settle(pilot)
            if before:
                where = f"the ritual form, back with {before!r}"
                assert isinstance(app.screen, RitualForm), where
                fields = dict(zip([app.screen.query_one(f, Input) for f in RITUAL_FIELDS], before))
                await look_at_fields(pilot, fields, where)
                await pilot.press("escape")
                await settle(pilot)
                if isinstance(app.screen, ConfirmDialog):  # a draft that came back is unsaved work
                    await pilot.press("y")
                    await settle(pilot)
            if now:
                await pilot.press("a")
                await settle(pilot)
                for selector, text in zip(RITUAL_FIELDS, now):
                    app.screen.query_one(selector, Input).value = text
                app.save_drafts()
    assert store.draft("ritual-form") is None
    everything = "\n".join(HOSTILE)
    app = make_app("colleagues")
    async with app.run_test(size=TOUR_SIZE) as pilot:
        await pilot.press("m", "n")
        await settle(pilot)
        app.screen.query_one("#template-name", Input).value = HOSTILE[3]
        app.screen.query_one("#template-text", TextArea).text = everything
        app.save_drafts()
    again = make_app("colleagues")
    async with again.run_test(size=TOUR_SIZE) as pilot:
        await pilot.press("m")
        await settle(pilot)
        editor = again.screen
        assert isinstance(editor, TemplateEditor)
        await look_at_fields(pilot, {editor.query_one("#template-name", Input): HOSTILE[3],
                                     editor.query_one("#template-text", TextArea): everything},
                             "the message editor, back with every hostile string")  # fmt: skip
        assert_shown(again, [HOSTILE[0], HOSTILE[1]], "the message editor's first lines")
        assert again.is_running


# --------------------------------------------------------------------------- typed and pasted


def printable(text: str, size: int = 12) -> str:
    """What a keyboard could type of ``text`` (a few of its printable characters; emoji are
    left to pastes, as the Pilot cannot press them)."""
    return "".join(char for char in text if char.isprintable() and ord(char) < 0x2000)[:size]


async def type_into(pilot: Any, widget: Any, text: str) -> None:
    """Keys as a terminal delivers quick typing: one key event per character, in a burst."""
    widget.focus()
    await pilot.pause()
    for char in text:
        pilot.app.post_message(events.Key(_character_to_key(char), char))
    await settle(pilot)


async def paste_into(pilot: Any, widget: Any, text: str) -> None:
    """A paste as the terminal sends it: to the app, which hands it to the focused field."""
    widget.focus()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def back_to_the_screen(pilot: Any) -> None:
    """Close whatever dialogs are open (escape, one at a time), staying on the same screen."""
    while len(pilot.app.screen_stack) > 1:
        await pilot.press("escape")
        await settle(pilot)


def first_line(text: str) -> str:
    """What a one-line field keeps of a paste."""
    lines = strip_controls(text).splitlines()
    return lines[0] if lines else ""


@pytest.mark.slow
async def test_typed_and_pasted_text_is_saved_clean_and_read_back_literally(make_app: Any, store: Store) -> None:
    app = make_app("colleagues")
    notices = Notices()
    async with app.run_test(size=TOUR_SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        for n, text in enumerate(HOSTILE):
            # A colleague: the name typed when a keyboard could type it, else pasted; the
            # notes, how to reach them and the tags pasted.
            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            name = form.query_one("#form-name", Input)
            if text == printable(text, 40) and text.strip() and n < 10:  # the markup ones
                await type_into(pilot, name, text)
            else:
                await paste_into(pilot, name, f"{n} {text}")
            await paste_into(pilot, form.query_one("#form-notes", TextArea), text)
            await paste_into(pilot, form.query_one("#form-reach", TextArea), text)
            await paste_into(pilot, form.query_one("#form-tags", Input), text)
            typed_name = name.value
            assert_no_controls(app, f"colleague form with {text!r}")
            await pilot.press("ctrl+s")
            await settle(pilot)
            [saved] = [c for c in store.all(Colleague) if c.name == clean_text(typed_name)]
            assert saved.notes == clean_text(strip_controls(text), multiline=True)
            assert saved.tags == list(dict.fromkeys(t for t in (clean_text(t) for t in first_line(text).split(",")) if t))
            assert_shown(app, [saved.name], f"the list after saving {text!r}")
            assert any(f"Saved {saved.name}." in message for message in notifications(notices))
            assert_clean_notifications(notices)
            if n % 3:
                continue  # the JSON import tour reads every card; here every third will do
            # Its card (the person just saved is the one highlighted) shows it all literally.
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.colleague_id == saved.id
            assert_shown(app, [saved.name, *saved.reach[:1], *saved.tags[:1], saved.notes.split("\n")[0]],
                         f"card for {text!r}")  # fmt: skip
            assert_no_controls(app, f"card for {text!r}")
            assert click_actions(app) == []
            if n % 2 == 0:  # a contact note, pasted into the log dialog
                await pilot.press("l")
                await settle(pilot)
                await paste_into(pilot, app.screen.query_one("#log-note", Input), text)
                await pilot.press("enter")
                await settle(pilot)
                [contact] = [c for c in store.all(Contact) if c.colleague_id == saved.id]
                assert contact.note == clean_text(first_line(text), limit=240)
                assert_shown(app, [contact.note], f"history with {text!r}")
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running and app.current_mode == "colleagues"
        assert len(store.all(Colleague)) == len(HOSTILE)
        # The filter takes the same text and shows only what matches it.
        await pilot.press("slash")
        await settle(pilot)
        await paste_into(pilot, app.screen.query_one("#people-filter", Input), "[/")
        assert_no_controls(app, "filtered")
        assert app.screen.shown and all("[/" in row.colleague.name + row.colleague.notes for row in app.screen.shown)


@pytest.mark.slow
async def test_pasted_text_in_every_other_form_is_saved_clean(make_app: Any, store: Store) -> None:
    """Rituals (name, schedule, note), message templates and breathing patterns take a third
    of the strings each (so every string goes through one of them); the prompts take all."""
    store.update_settings(starters_offered=True)
    ann = store.add(Colleague(name="Ann"))
    app = make_app("rituals")
    notices = Notices()
    async with app.run_test(size=TOUR_SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        for n, text in enumerate(HOSTILE[0::3]):
            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            await paste_into(pilot, form.query_one("#form-schedule", Input), text)  # not a schedule
            assert_no_controls(app, f"schedule read back from {text!r}")
            await paste_into(pilot, form.query_one("#form-name", Input), text)
            name_field = form.query_one("#form-name", Input)
            name_field.value = f"{n} {name_field.value}"
            form.query_one("#form-schedule", Input).value = "every day"
            await paste_into(pilot, form.query_one("#form-note", Input), text)
            await pilot.press("ctrl+s")
            await settle(pilot)
            [ritual] = [r for r in store.all(Ritual) if r.name == clean_text(f"{n} {first_line(text)}")]
            assert ritual.note == clean_text(first_line(text), multiline=True)
            assert_no_controls(app, f"rituals after {text!r}")
            assert_clean_notifications(notices)
        assert_shown(app, [r.name for r in store.all(Ritual)][:12], "the rituals list")
        # A note on today's entry, through the one-line prompt.
        await pilot.press("home", "n")
        await settle(pilot)
        await paste_into(pilot, app.screen.query_one(Input), HOSTILE[3])
        await pilot.press("enter")
        await settle(pilot)
        assert any(e.note == clean_text(HOSTILE[3]) for e in store.all(RitualEntry))
        # Message templates, from a colleague's message picker.
        await pilot.press("c")
        await settle(pilot)
        for text in HOSTILE[1::3]:
            await pilot.press("m", "n")
            await settle(pilot)
            editor = app.screen
            await paste_into(pilot, editor.query_one("#template-name", Input), text)
            await paste_into(pilot, editor.query_one("#template-text", TextArea), text)
            assert_no_controls(app, f"template editor with {text!r}")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert_no_controls(app, f"picker after {text!r}")
            await back_to_the_screen(pilot)
        templates = store.all(MessageTemplate)
        assert len(templates) >= len(HOSTILE[1::3]) - 2  # a name that cleans to nothing is refused
        assert all(template == template.cleaned() for template in templates)
        assert app.current_mode == "colleagues" and ann.id is not None
        # Breathing patterns: the name pasted.
        await pilot.press("b")
        await settle(pilot)
        for n, text in enumerate(HOSTILE[2::3]):
            await pilot.press("n")
            await settle(pilot)
            await paste_into(pilot, app.screen.query_one("#field-name", Input), f"{n} {text}")
            await pilot.press("enter")
            await settle(pilot)
            if app.screen.__class__.__name__ == "PatternEditor":  # refused, with a reason shown
                assert_no_controls(app, f"pattern editor with {text!r}")
                await back_to_the_screen(pilot)
        names = [p.name for p in store.all(BreathingPattern)]
        assert len(names) >= len(HOSTILE[2::3]) - 2 and all(name == clean_text(name) for name in names)
        assert_no_controls(app, "patterns")
        # Today's "next session" prompt echoes what it could not read, cleaned.
        await pilot.press("t", "n")
        await settle(pilot)
        for text in HOSTILE:
            field = app.screen.query_one(Input)
            field.value = ""
            await paste_into(pilot, field, text)
            await pilot.press("enter")
            await settle(pilot)
            assert_no_controls(app, f"next-session prompt with {text!r}")
        assert app.is_running


async def test_a_long_paste_into_a_limited_field_keeps_what_fits(make_app: Any) -> None:
    """Textual's Input refuses a paste that would pass its limit outright; Tend keeps the start."""
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await settle(pilot)
        name = app.screen.query_one("#form-name", Input)
        await type_into(pilot, name, "Jo ")
        await paste_into(pilot, name, "x" * 500 + "\nsecond line")
        assert name.value == "Jo " + "x" * (name.max_length - 3)


@pytest.mark.slow
async def test_an_address_book_full_of_hostile_text_reads_literally(tmp_path: Path, make_app: Any, store: Store) -> None:
    """Imported from the colleagues screen (i, then the path, pasted): names, notes, phones
    and categories come in clean and read literally on the list and every card."""
    with_nul = [text for text in HOSTILE if "\x00" in text]
    book = write_vcf(tmp_path / "book.vcf", [text for text in HOSTILE if text not in with_nul])
    app = make_app("colleagues")
    notices = Notices()
    async with app.run_test(size=TOUR_SIZE, message_hook=notices) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await paste_into(pilot, app.screen.query_one(Input), str(book))
        await pilot.press("enter")
        await settle(pilot)
        assert "Added" in screen_text(app)
        assert_no_controls(app, "import summary")
        await pilot.press("enter")
        await settle(pilot)
        people = store.all(Colleague)
        assert len(people) >= len(HOSTILE) - len(with_nul) - 4  # names that clean to nothing become "Person n"
        assert all(person == person.cleaned() for person in people)
        tour = Tour(pilot, HOSTILE, notices)
        await tour.look("imported colleagues", [p.name for p in people])
        for index, row in enumerate(app.screen.shown[:4]):  # cards read as for a JSON import
            await tour.keys("enter")
            c = row.colleague
            await tour.look(f"imported card {index}", [c.name, *c.reach[:1], *c.tags[:1], c.notes.split("\n")[0]])  # fmt: skip
            await tour.keys("escape", "down")
    # A file with a NUL byte is refused whole, politely, and changes nothing.
    assert tend_main(["--data", str(store.paths.root), "import", str(write_vcf(tmp_path / "nul.vcf", HOSTILE))]) == 1
    assert len(Store.open(store.paths.root).all(Colleague)) == len(people)


def _mixed_texts(texts: list[str]) -> list[str]:
    return [f"{n} {text}" for n, text in enumerate(texts)]


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(HOSTILE_TEXT, min_size=2, max_size=2))
def test_generated_hostile_text_pasted_anywhere_reads_literally(tmp_path_factory: Any, texts: list[str]) -> None:
    """Hypothesis mixes the pieces; each example pastes them into a colleague and a ritual,
    then reads the list, the card and the ritual detail."""
    folder = tmp_path_factory.mktemp("gen") / "d"
    store = Store.open(folder)
    store.update_settings(welcomed=True, starters_offered=True)
    names = _mixed_texts(texts)

    async def scenario() -> None:
        app = TendApp(store, start_mode="colleagues")
        async with app.run_test(size=(80, 24)) as pilot:
            for name, text in zip(names, texts, strict=True):
                await pilot.press("a")
                await settle(pilot)
                await paste_into(pilot, app.screen.query_one("#form-name", Input), name)
                await paste_into(pilot, app.screen.query_one("#form-notes", TextArea), text)
                await pilot.press("ctrl+s")
                await settle(pilot)
                assert_no_controls(app, "list")
                saved = app.screen.current_row().colleague
                assert saved.name == clean_text(first_line(name)) and saved.notes == clean_text(strip_controls(text), multiline=True)
                await pilot.press("enter")
                await settle(pilot)
                assert_shown(app, [saved.name, saved.notes.split("\n")[0]], "card")
                assert_no_controls(app, "card")
                assert click_actions(app) == []
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("r", "a")
            await settle(pilot)
            await paste_into(pilot, app.screen.query_one("#form-name", Input), names[0])
            app.screen.query_one("#form-schedule", Input).value = "every day"
            await paste_into(pilot, app.screen.query_one("#form-note", Input), texts[0])
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            [ritual] = store.all(Ritual)
            assert_shown(app, [ritual.name, ritual.note.split("\n")[0]], "ritual detail")
            assert_no_controls(app, "ritual detail")
            assert click_actions(app) == []
            assert app.is_running and app.current_mode == "rituals"

    asyncio.run(scenario())
