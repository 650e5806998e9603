"""Message templates: the picker and the editor."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from app.models import Colleague, MessageTemplate
from app.people import (
    Template,
    all_templates,
    call_name,
    fill_for,
    fill_template,
    make_template,
    templates_for,
)
from app.textclean import NAME_LIMIT, clean_text
from screens.base import KeyHints, TendModal, key_hints
from screens.colleagues.rows import CSS_FILE, TEMPLATE_DRAFT
from screens.dialogs import ConfirmDialog, DraftForm, reopen_draft, tend_of


class TemplatePicker(TendModal[tuple[int, Template] | None]):
    """Choose a check-in message; enter copies it. The user's own can be added and edited."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    BINDINGS: ClassVar = [
        Binding("c", "choose", "Copy", id="templates.copy", tooltip="Copy this message"),
        Binding("n", "new", "New", id="templates.new", tooltip="Write a message of your own"),
        Binding("e", "edit", "Edit", id="templates.edit", tooltip="Edit one of your messages"),
        Binding("d,delete", "delete", "Delete", id="templates.delete",
                tooltip="Delete one of your messages (asks first)"),
        Binding("escape", "close", "Close", id="templates.close", tooltip="Close"),
    ]  # fmt: skip

    def __init__(self, colleague: Colleague, templates: list[Template], start: int = 0) -> None:
        super().__init__()
        self.colleague = colleague
        self.templates = templates
        self.start = max(start, 0)

    def compose(self) -> ComposeResult:
        with Vertical(classes="people-dialog", id="templates"):
            yield Label(
                Content.assemble("A check-in message for ", (clean_text(self.colleague.name), "bold")),
                classes="people-dialog-title",
            )
            yield OptionList(id="templates-list", compact=True)
            yield KeyHints("choose", "new", "edit", "delete", "close", classes="people-hint")

    def on_mount(self) -> None:
        self._fill(self.start)
        self.query_one("#templates-list", OptionList).focus()
        # A message of one's own left half-written (Tend closed, or the connection dropped)
        # opens again as it was, the next time the messages are opened.
        self.call_after_refresh(reopen_draft, self, TEMPLATE_DRAFT, self._template, self.open_editor)

    def _fill(self, highlight: int) -> None:
        options = self.query_one("#templates-list", OptionList)
        options.clear_options()
        for index, template in enumerate(self.templates):
            mark = "" if template.builtin else "  (yours)"
            prompt = Content.assemble(
                (clean_text(template.name), "bold"), (mark, "dim"), "\n",
                (fill_for(template.text, self.colleague), "dim"),
            )  # fmt: skip
            options.add_option(Option(prompt, id=str(index)))
        if self.templates:
            options.highlighted = min(highlight, len(self.templates) - 1)
        self.refresh_bindings()

    def current(self) -> Template | None:
        index = self.query_one("#templates-list", OptionList).highlighted
        return self.templates[index] if index is not None and index < len(self.templates) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            template = self.current()
            return template is not None and not template.builtin
        return True

    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        index = self.query_one("#templates-list", OptionList).highlighted
        if index is not None:
            self.dismiss((index, self.templates[index]))

    def action_new(self) -> None:
        self.open_editor(None)

    def action_edit(self) -> None:
        template = self.current()
        if template is not None and not template.builtin:
            self.open_editor(template)

    def open_editor(self, template: Template | None) -> None:
        """The editor for one of the user's own messages, or for a new one."""
        editor = TemplateEditor(template, call_name(self.colleague))
        editor.save_with = partial(self._save_template, editor=editor)
        if template is not None and template.record_id is not None:
            editor.base = tend_of(self).store.get(MessageTemplate, template.record_id)
        self.app.push_screen(editor)

    def _template(self, record_id: int) -> Template | None:
        return next((t for t in self.templates if t.record_id == record_id), None)

    def _save_template(self, template: Template, editor: TemplateEditor | None = None) -> bool:
        store = tend_of(self).store
        record = MessageTemplate(name=template.name, text=template.text, id=template.record_id)
        with tend_of(self).saving() as attempt:
            if record.id is None:
                saved = store.add(record)
            elif editor is not None and isinstance(editor.base, MessageTemplate):
                saved = editor.save_edit(store, replace(editor.base, name=record.name, text=record.text))
            else:  # the stored record with new words: whatever else it says (its fits) stays
                stored = store.get(MessageTemplate, record.id)
                saved = store.update(replace(stored, name=record.name, text=record.text) if stored else record)
        if attempt.ok:
            self._reload(str(saved.id))
        return attempt.ok

    def _reload(self, record_id: str | None = None) -> None:
        store = tend_of(self).store
        self.templates = templates_for(self.colleague, all_templates(store.all(MessageTemplate)))
        ids = [str(t.record_id) for t in self.templates]
        self._fill(ids.index(record_id) if record_id in ids else 0)

    def action_delete(self) -> None:
        template = self.current()
        if template is None or template.builtin or template.record_id is None:
            return
        question = Content.assemble(
            "Delete your message ", (clean_text(template.name), "bold"), "?"
        )
        self.app.push_screen(
            ConfirmDialog(question, yes="Delete", no="Keep"),
            lambda yes: self._delete(template) if yes else None,
        )

    def _delete(self, template: Template) -> None:
        with tend_of(self).saving() as attempt:
            tend_of(self).store.remove(MessageTemplate, template.record_id or 0)
        if attempt.ok:
            self._reload()

    def action_close(self) -> None:
        self.dismiss(None)


class TemplateEditor(DraftForm[Template | None]):
    """Write or change a message of one's own; ``{name}`` becomes the colleague's name."""

    CSS_PATH = CSS_FILE
    DEFAULT_CLASSES = "css-colleagues"
    DRAFT_KEY = TEMPLATE_DRAFT
    DRAFT_RECORD = MessageTemplate
    GONE_NOTE = "The message you were changing was deleted in the meantime, so your words are back as a new one."
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", id="template_editor.save", tooltip="Save this message"),
        Binding("escape", "cancel", "Cancel", id="template_editor.cancel",
                tooltip="Close without saving"),
    ]  # fmt: skip

    def __init__(self, template: Template | None, example_name: str) -> None:
        super().__init__()
        self.template = template
        self.example_name = example_name
        self.draft_for = template.record_id if template else None

    def compose(self) -> ComposeResult:
        t = self.template
        with Vertical(classes="people-dialog", id="template-editor"):
            yield Label("Edit your message" if t else "A message of your own",
                        classes="people-dialog-title")  # fmt: skip
            with Horizontal(classes="form-row"):
                yield Label("Title", classes="form-label")
                yield Input(t.name if t else "", id="template-name", compact=True,
                            max_length=NAME_LIMIT, placeholder="e.g. Lunch?")  # fmt: skip
            yield TextArea(t.text if t else "Hi {name}, ", id="template-text", compact=True)
            yield Static(
                "Write {name} where their name should go.", classes="people-note", markup=False
            )
            yield Static("", id="template-preview", classes="people-preview", markup=False)
            yield Static("", id="template-error", classes="people-error", markup=False)
            yield Static(key_hints(self, "save", "cancel"), classes="people-hint")

    def on_mount(self) -> None:
        self.restore_draft()
        self._preview()
        self.query_one("#template-name", Input).focus()

    # Drafts: an SSH drop (SIGHUP) or quit while the editor is open keeps what was typed.

    def draft_fields(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#template-name", Input).value,
            "text": self.query_one("#template-text", TextArea).text,
        }

    def fill_draft(self, draft: dict[str, Any]) -> None:
        self.refill("#template-name", draft.get("name"))
        self.refill("#template-text", draft.get("text"))

    @on(TextArea.Changed)
    def _preview(self) -> None:
        text = self.query_one("#template-text", TextArea).text
        self.query_one("#template-preview", Static).update(
            Content(fill_template(text, self.example_name))
        )

    def action_save(self) -> None:
        try:
            template = make_template(
                self.query_one("#template-name", Input).value,
                self.query_one("#template-text", TextArea).text,
                record_id=self.template.record_id if self.template else None,
            )
        except ValueError as error:
            self.query_one("#template-error", Static).update(str(error))
            return
        self.submit(template)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#template-text", TextArea).focus()
