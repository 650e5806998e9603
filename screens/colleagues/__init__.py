"""Trusted colleagues, one room: the list (:mod:`.screen`), its table (:mod:`.widgets`) and
rows (:mod:`.rows`), the form (:mod:`.form`), logging a contact (:mod:`.log`), the card
(:mod:`.card`), message templates (:mod:`.templates`), check-in messages (:mod:`.message`),
the address-book import (:mod:`.importing`), reach out now, snooze and archive (:mod:`.rest`)
and which dated note to delete (:mod:`.notes`)."""

from screens.colleagues.card import ColleagueCard
from screens.colleagues.form import ColleagueForm
from screens.colleagues.log import LogContactDialog
from screens.colleagues.message import MessageDialog, send_check_in
from screens.colleagues.rows import FORM_DRAFT, TEMPLATE_DRAFT, Row, build_rows, now, short_cadence, when_text
from screens.colleagues.screen import ColleaguesScreen
from screens.colleagues.templates import TemplateEditor, TemplatePicker
from screens.colleagues.widgets import ColleagueTable

__all__ = [
    "FORM_DRAFT", "TEMPLATE_DRAFT", "ColleagueCard", "ColleagueForm", "ColleagueTable", "ColleaguesScreen",
    "LogContactDialog", "MessageDialog", "Row", "TemplateEditor", "TemplatePicker", "build_rows", "now",
    "send_check_in", "short_cadence", "when_text",
]  # fmt: skip
