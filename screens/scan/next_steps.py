"""The summary's next steps that reach beyond the scan: the check-in to a trusted colleague
(``1``-``3`` when the step is "reach out") and your own support line (``y``), shown when every
signal is high. Plain functions taking the app, so the screen stays a list of delegates."""

from __future__ import annotations

from collections.abc import Callable

from app import bodyscan as bs
from app.models import Colleague, MessageTemplate
from app.people import Standing, all_templates, latest_contacts
from app.textclean import clean_text
from screens.dialogs import TextPrompt
from screens.scan.dialogs import CheckInDialog
from screens.shell import TendShell


def trusted_colleague(app: TendShell) -> tuple[Colleague, Standing] | None:
    """Who a "check in" step goes to: someone trusted and easy to ask
    (:func:`app.bodyscan.trusted_after_heavy_scan`), never simply the most overdue."""
    store = app.store
    return bs.trusted_after_heavy_scan(store.all(Colleague), latest_contacts(store))


def reach_out(app: TendShell) -> None:
    """Open the trusted colleague with a message ready, or the colleagues screen."""
    found = trusted_colleague(app)
    if found is None:
        app.action_go("colleagues")
        return
    templates = all_templates(app.store.all(MessageTemplate))
    app.push_screen(CheckInDialog(*found, templates))


def ask_support_line(app: TendShell, kept: Callable[[], None]) -> None:
    """Type (or clear) a support line of your own; ``kept`` runs once it is saved."""

    def keep(text: str | None) -> None:
        if text is None:
            return
        line = clean_text(text, limit=bs.SUPPORT_LINE_LIMIT)
        with app.saving("settings") as attempt:
            app.store.update_settings(support_line=line)
        if attempt.ok:
            app.notify("Support line kept." if line else "Support line cleared.", markup=False)
            kept()

    current = app.store.settings().support_line
    app.push_screen(
        TextPrompt(
            "A support line of your own: your employee assistance programme, your "
            "supervisor's number. It shows after a scan when every signal is high.",
            value=current,
            placeholder="e.g. EAP 0800 ... (empty to clear)",
            limit=bs.SUPPORT_LINE_LIMIT,
        ),
        keep,
    )
