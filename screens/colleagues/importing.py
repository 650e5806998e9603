"""Bringing colleagues in from an address book (.vcf).

The path is checked as it is typed (cheaply: the file is only looked at); the file is then
read and parsed once, in a worker thread, whatever its size, with its progress shown and
escape to stop, so the screen stays responsive. The store is read (cheaply) before and
written after, on the UI thread, never in the thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.worker import Worker, WorkerState

from app.exchange import ExchangeError
from app.paths import PathError, expand_home
from app.vcard import (
    ImportCancelled,
    VcardError,
    VcardImport,
    check_vcard_file,
    commit_vcard_import,
    prepare_vcard_import,
)
from screens.dialogs import NoticeDialog, ProgressDialog

if TYPE_CHECKING:
    from screens.shell import TendShell

IMPORT_WORKER = "vcard-import"


def check_vcard_path(text: str) -> str | None:
    """Why the file at ``text`` cannot be imported, or None when it can. Reads nothing: a file
    that is not an address book inside is explained when it is read, in the background."""
    if not text:
        return "Type the path to a .vcf file, or press escape."
    try:
        check_vcard_file(expand_home(text))
    except (VcardError, PathError) as error:  # PathError: ~name for a user who does not exist
        return str(error)
    except OSError:
        return "Tend could not read that file."
    return None


def read_address_book(
    file: Path, known: tuple[object, list[tuple[object, ...]]], dialog: ProgressDialog
) -> VcardImport | ExchangeError | ImportCancelled:
    """Read and sort ``file`` (runs in the worker thread; touches no store). What went wrong
    comes back as the result, to be told in words, not as a failed worker."""
    try:
        return prepare_vcard_import(file, known, progress=dialog.report, cancel=dialog.cancel)
    except (ExchangeError, ImportCancelled) as error:
        return error


def finish_import(app: TendShell, worker: Worker[Any], dialog: ProgressDialog) -> None:
    """Once the import worker is done: close its progress, add what it read in one save
    (escape on the progress still stops it) and say what was added, or in words why nothing."""
    dialog.finish()
    if worker.state == WorkerState.CANCELLED:
        return
    prepared = worker.result
    if worker.state == WorkerState.ERROR or not isinstance(prepared, VcardImport):
        if isinstance(prepared, ImportCancelled):
            app.notify("Import stopped. Nothing was added.", title="Address book", markup=False)
        elif isinstance(prepared, ExchangeError):
            app.notify(str(prepared), title="Not imported", severity="error", markup=False)
        else:
            app.notify("Tend could not read that address book. Nothing was added.",
                       title="Not imported", severity="error", markup=False)  # fmt: skip
        return
    report = None
    with app.saving() as attempt:
        try:
            report = commit_vcard_import(app.store, prepared, cancel=dialog.cancel)
        except ImportCancelled:
            attempt.ok = False
            app.notify("Import stopped. Nothing was added.", title="Address book", markup=False)
    if attempt.ok and report is not None:
        app.push_screen(NoticeDialog("Address book", Content(report.summary())))
