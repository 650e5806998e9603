"""Half-typed forms survive Tend closing or the connection dropping (SIGHUP, SIGTERM, quit).

Each editor that keeps a draft is driven the same way: type, ``app.save_drafts()`` (what the
signal handlers and quit do), then a new Tend on the same data folder. The form opens again
where it lives with the text back; saving or cancelling lets the draft go; a draft for one
record never goes into another's form, and a draft for a record deleted meanwhile comes back
as a new one. The colleague form has the same tests in ``test_colleagues_screen.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from textual.widgets import Input

from app.breathing import pattern_from_record
from app.models import BreathingPattern, Colleague, MessageTemplate, Record, Ritual
from app.people import all_templates
from app.schedule import Schedule
from app.storage import Store
from app.tui import TendApp
from screens.breathe import EDITOR_DRAFT, ExerciseScreen, PatternEditor
from screens.colleagues import TEMPLATE_DRAFT, TemplateEditor
from screens.dialogs import ConfirmDialog, DraftForm
from screens.rituals import FORM_DRAFT as RITUAL_DRAFT
from screens.rituals import RitualDraft, RitualForm, StarterOffer
from tests.conftest import wait_until
from tests.notices import Notices
from tests.screentext import screen_text

SIZE = (80, 24)


def _ritual_form(store: Store, record_id: int | None) -> DraftForm[Any]:
    if record_id is None:
        return RitualForm("A new ritual", None, [])
    record = store.get(Ritual, record_id)
    assert record is not None
    draft = RitualDraft.from_record(record, Schedule.from_dict(record.schedule))
    return RitualForm("Change this ritual", draft, [], ritual_id=record_id)


def _template_form(store: Store, record_id: int | None) -> DraftForm[Any]:
    mine = {t.record_id: t for t in all_templates(store.all(MessageTemplate)) if not t.builtin}
    return TemplateEditor(None if record_id is None else mine[record_id], "Ann")


def _pattern_form(store: Store, record_id: int | None) -> DraftForm[Any]:
    pattern = None if record_id is None else pattern_from_record(store.get(BreathingPattern, record_id))
    return PatternEditor(pattern, taken_names=[p.name for p in store.all(BreathingPattern)])


@dataclass(frozen=True)
class Editor:
    """One form that keeps a draft: where it opens again, and how to fill it in."""

    key: str
    form: type[DraftForm[Any]]
    record: type[Record]
    name_field: str
    go: tuple[str, ...]
    """Keys from Today to where the form opens again by itself."""
    new: tuple[str, ...]
    """Keys from there that open a new form."""
    needs: dict[str, str]
    """What a new one needs besides a name before it can be saved."""
    records: tuple[Record, Record]
    build: Callable[[Store, int | None], DraftForm[Any]]

    def seed(self, store: Store) -> list[int]:
        store.update_settings(starters_offered=True)
        store.add(Colleague(name="Ann"))
        return [store.add(record).id or 0 for record in self.records]

    def names(self, store: Store) -> list[str]:
        return [record.name for record in store.all(self.record)]  # type: ignore[attr-defined]


EDITORS = [
    Editor(RITUAL_DRAFT, RitualForm, Ritual, "#form-name", ("r",), ("a",), {"#form-schedule": "every day"},
           (Ritual(name="Supervision", schedule=Schedule.daily().to_dict()),
            Ritual(name="Walk", schedule=Schedule.daily().to_dict())), _ritual_form),
    Editor(TEMPLATE_DRAFT, TemplateEditor, MessageTemplate, "#template-name", ("c", "m"), ("n",), {},
           (MessageTemplate(name="Lunch?", text="Lunch, {name}?"),
            MessageTemplate(name="Walk?", text="A walk, {name}?")), _template_form),
    Editor(EDITOR_DRAFT, PatternEditor, BreathingPattern, "#field-name", ("b",), ("n",), {},
           (BreathingPattern(name="Before supervision", phases=[["inhale", 4], ["exhale", 6]]),
            BreathingPattern(name="Evening", phases=[["inhale", 4], ["exhale", 8]])), _pattern_form),
]  # fmt: skip


@pytest.fixture(params=EDITORS, ids=["ritual", "template", "pattern"])
def editor(request: pytest.FixtureRequest) -> Editor:
    return request.param  # type: ignore[no-any-return]


async def type_text(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def type_name(pilot: Any, form: DraftForm[Any], field: str, text: str) -> None:
    """Type at the end of a form's name field, as a person would."""
    form.query_one(field, Input).focus()
    await pilot.press("end")
    await type_text(pilot, text)


def name_in(app: TendApp, editor: Editor) -> str:
    return app.screen.query_one(editor.name_field, Input).value


def notes(notices: Notices) -> str:
    return " ".join(notices.messages())


async def leave_a_new_one(make_app: Callable[..., TendApp], editor: Editor, typed: str) -> None:
    """Open a new form where it lives and drop the connection: untouched, it keeps no draft;
    then type a name (and what else it needs to be saved) and drop it again."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new(app, pilot, editor)
        app.save_drafts()  # what quit, SIGHUP and SIGTERM do
        assert app.store.draft(editor.key) is None  # nothing typed, nothing kept
        await fill_new(pilot, form, editor, typed)
        app.save_drafts()


async def open_new(app: TendApp, pilot: Any, editor: Editor) -> DraftForm[Any]:
    """Go where the form lives and open a new one."""
    await pilot.press(*editor.go, *editor.new)
    await wait_until(pilot, lambda: isinstance(app.screen, editor.form))
    form = app.screen
    assert isinstance(form, editor.form)
    return form


async def fill_new(pilot: Any, form: DraftForm[Any], editor: Editor, name: str) -> None:
    """What a new one needs to be saved, and a name typed at the end of its name field."""
    for field, value in editor.needs.items():
        form.query_one(field, Input).value = value
    await type_name(pilot, form, editor.name_field, name)


async def leave_an_edit(make_app: Callable[..., TendApp], editor: Editor, record_id: int, typed: str) -> None:
    """Type at the end of a record's name in its form, then drop the connection."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(editor.build(app.store, record_id))
        await pilot.pause()
        await type_name(pilot, app.screen, editor.name_field, typed)  # type: ignore[arg-type]
        app.save_drafts()


async def open_again(app: TendApp, pilot: Any, editor: Editor) -> DraftForm[Any]:
    """Go where the form lives; it should be open there by itself, as it was left."""
    await pilot.press(*editor.go)
    await wait_until(pilot, lambda: isinstance(app.screen, editor.form))
    form = app.screen
    assert isinstance(form, editor.form), f"{form!r} is not the {editor.form.__name__} left open"
    return form


async def test_what_was_typed_comes_back_and_saving_lets_the_draft_go(
    editor: Editor, make_app: Callable[..., TendApp], store: Store
) -> None:
    editor.seed(store)
    await leave_a_new_one(make_app, editor, "Half typed")
    assert store.draft(editor.key)["id"] is None
    again = make_app()
    notices = Notices()
    async with again.run_test(size=SIZE, message_hook=notices) as pilot:
        form = await open_again(again, pilot, editor)
        assert form.draft_for is None and name_in(again, editor) == "Half typed"
        assert "Your unsaved changes are back." in notes(notices)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(again.screen, editor.form)
    assert "Half typed" in editor.names(store)
    assert store.draft(editor.key) is None


async def test_cancelling_lets_the_draft_go(
    editor: Editor, make_app: Callable[..., TendApp], store: Store
) -> None:
    editor.seed(store)
    await leave_a_new_one(make_app, editor, "Maybe")
    assert store.draft(editor.key) is not None
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await open_again(again, pilot, editor)
        await pilot.press("escape")  # a draft that came back is unsaved work: asked first
        await wait_until(pilot, lambda: isinstance(again.screen, ConfirmDialog))
        await pilot.press("y")  # a deliberate cancel: the draft goes
        await pilot.pause()
        assert not isinstance(again.screen, (editor.form, ConfirmDialog))
    assert store.draft(editor.key) is None
    assert "Maybe" not in editor.names(store)


async def test_escape_asks_before_it_drops_what_was_typed(
    editor: Editor, make_app: Callable[..., TendApp], store: Store
) -> None:
    # One stray escape between sessions used to close the form and lose what was typed.
    editor.seed(store)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new(app, pilot, editor)
        await pilot.press("escape")  # nothing typed: closes at once, nothing to ask
        await pilot.pause()
        assert not isinstance(app.screen, (editor.form, ConfirmDialog))

        await pilot.press(*editor.new)  # back where the form lives: a new one again
        await wait_until(pilot, lambda: isinstance(app.screen, editor.form))
        form = app.screen
        assert isinstance(form, editor.form)
        await fill_new(pilot, form, editor, "Typed with care")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        footer = screen_text(app).splitlines()[-1]
        # the footer says what each key does in the buttons' own words
        assert "y Close without saving" in footer and "n Keep editing" in footer
        await pilot.press("escape")  # escape again goes back to the form, everything still there
        await wait_until(pilot, lambda: app.screen is form)
        assert name_in(app, editor).endswith("Typed with care")
        await pilot.press("escape", "n")  # so does n
        await wait_until(pilot, lambda: app.screen is form)
        await pilot.press("escape", "y")  # y closes it, saving nothing
        await wait_until(pilot, lambda: not isinstance(app.screen, (editor.form, ConfirmDialog)))
    assert "Typed with care" not in " ".join(editor.names(store))
    assert store.draft(editor.key) is None


async def test_a_draft_for_one_record_goes_only_into_its_own_form(
    editor: Editor, make_app: Callable[..., TendApp], store: Store
) -> None:
    first, second = editor.seed(store)
    await leave_an_edit(make_app, editor, first, " too")
    first_name = editor.records[0].name  # type: ignore[attr-defined]
    again = make_app()
    notices = Notices()
    async with again.run_test(size=SIZE, message_hook=notices) as pilot:
        # The other record's form, and a new one, open as they are; leaving them keeps the draft.
        for record_id, shown in ((second, editor.records[1].name), (None, "")):  # type: ignore[attr-defined]
            await again.push_screen(editor.build(store, record_id))
            await pilot.pause()
            assert name_in(again, editor) == shown
            assert "unsaved changes" not in notes(notices)
            await pilot.press("escape")
            await pilot.pause()
            assert store.draft(editor.key) is not None
        await pilot.press("t")
        form = await open_again(again, pilot, editor)
        assert form.draft_for == first and name_in(again, editor) == f"{first_name} too"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert sorted(editor.names(store)) == sorted([f"{first_name} too", editor.records[1].name])  # type: ignore[attr-defined]
    assert store.draft(editor.key) is None


async def test_a_draft_for_a_record_deleted_meanwhile_comes_back_as_a_new_one(
    editor: Editor, make_app: Callable[..., TendApp], store: Store
) -> None:
    first, _ = editor.seed(store)
    await leave_an_edit(make_app, editor, first, " again")
    store.remove(editor.record, first)  # say, in another Tend window
    again = make_app()
    notices = Notices()
    async with again.run_test(size=SIZE, message_hook=notices) as pilot:
        form = await open_again(again, pilot, editor)
        assert form.draft_for is None and name_in(again, editor).endswith(" again")
        assert "deleted in the meantime" in notes(notices)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(store.all(editor.record)) == 2
    assert store.draft(editor.key) is None


async def test_a_starter_changed_before_it_is_added_keeps_no_draft(
    make_app: Callable[..., TendApp], store: Store
) -> None:
    """The starter offer is not kept, so a draft of one of its rituals would have no home."""
    app = make_app("rituals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StarterOffer)
        await pilot.press("e")
        await pilot.pause()
        await type_name(pilot, app.screen, "#form-name", " soon")  # type: ignore[arg-type]
        app.save_drafts()
    assert store.draft(RITUAL_DRAFT) is None


async def test_a_session_asked_for_comes_before_a_waiting_pattern_draft(
    make_app: Callable[..., TendApp], store: Store
) -> None:
    store.save_draft(EDITOR_DRAFT, {"id": None, "name": "Half made", "phases": ["4", "0", "6", "0"]})
    app = make_app("breathe", pattern="box", minutes=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
    assert store.draft(EDITOR_DRAFT) is not None  # still waiting for next time


async def save_with_the_disk_full(pilot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Press ctrl+s while every save fails as it would on a full disk."""
    from app.storage import SaveError

    def full(*_: object, **__: object) -> None:
        raise SaveError("Tend could not save just now: the disk is full.")

    with monkeypatch.context() as patched:
        patched.setattr(Store, "add", full)
        await pilot.press("ctrl+s")
        await pilot.pause()


async def test_a_save_that_fails_leaves_the_form_open_with_everything_typed(
    editor: Editor, make_app: Callable[..., TendApp], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk is full (say): the form stays, as typed, to try again; nothing is lost."""
    editor.seed(store)
    app = make_app()
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        form = await open_new(app, pilot, editor)
        await fill_new(pilot, form, editor, "Kept safe")
        await save_with_the_disk_full(pilot, monkeypatch)
        assert app.screen is form and name_in(app, editor) == "Kept safe"
        assert "the disk is full" in notes(notices)
        await pilot.press("ctrl+s")  # room again: it saves and closes
        await pilot.pause()
        assert not isinstance(app.screen, editor.form)
    assert "Kept safe" in editor.names(store)
    assert store.draft(editor.key) is None


async def test_a_colleague_form_whose_save_fails_stays_open(
    make_app: Callable[..., TendApp], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screens.colleagues import ColleagueForm

    store.update_settings(starters_offered=True)
    app = make_app("colleagues")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ColleagueForm)
        await type_name(pilot, form, "#form-name", "Ann Okafor")
        await save_with_the_disk_full(pilot, monkeypatch)
        assert app.screen is form and form.query_one("#form-name", Input).value == "Ann Okafor"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ColleagueForm)
    assert [c.name for c in store.all(Colleague)] == ["Ann Okafor"]
