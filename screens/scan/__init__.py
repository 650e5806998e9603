"""The body scan, one room: the screen (:mod:`.screen`), what it draws (:mod:`.drawing`), its
keys (:mod:`.keys`, from :data:`app.bodyscan.KEYMAP`), the rest scan (:mod:`.rest`), past scans
(:mod:`.history`), the next steps that reach beyond it (:mod:`.next_steps`), its dialogs
(:mod:`.dialogs`) and its note field (:mod:`.widgets`)."""

from screens.scan.dialogs import HEAVY_DAY_TEMPLATE, CheckInDialog, ResumeDialog
from screens.scan.drawing import SLEEP_DIRECTION, spark_charset
from screens.scan.screen import DRAFT_KEY, FRESH_AFTER_MINUTES, HISTORY, ITEM, SUMMARY, TICK_SECONDS, ScanScreen
from screens.scan.widgets import NoteInput

__all__ = [
    "DRAFT_KEY", "FRESH_AFTER_MINUTES", "HEAVY_DAY_TEMPLATE", "HISTORY", "ITEM", "SLEEP_DIRECTION", "SUMMARY",
    "TICK_SECONDS", "CheckInDialog", "NoteInput", "ResumeDialog", "ScanScreen", "spark_charset",
]  # fmt: skip
