"""Bringing colleagues in from an address book (.vcf).

The path is checked as it is typed (cheaply: the file is only looked at); the file is then
read and parsed once, in a worker thread, whatever its size, with its progress shown and
escape to stop, so the screen stays responsive. The store is read (cheaply) before and
written after, on the UI thread, never in the thread.
"""

from __future__ import annotations

from pathlib import Path

from app.exchange import ExchangeError
from app.paths import PathError, expand_home
from app.vcard import ImportCancelled, VcardError, VcardImport, check_vcard_file, prepare_vcard_import
from screens.dialogs import ProgressDialog

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
