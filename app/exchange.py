"""Export and import: all of Tend's data as JSON (or CSV, one file per kind).

Exported files are written atomically and readable by the owner only (0600), and an existing
file is never overwritten unless the caller says ``force``. Import validates and cleans every
record first and refuses the whole file, with a plain message, if anything does not fit:
nothing is ever half-imported. Records are added beside what is there (ids are renumbered
and links between records follow). Every exported record carries its ``uid``; an import
matches on it first, then on what an entry says (for exports made before uids), so a round
trip adds nothing and importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

import orjson
import pendulum

from app import __version__
from app.files import (  # shared with the other formats; offered here too, as before
    ExchangeError,
    UsageError,
    bom_encoding,
    kind_of,
    read_user_file,
    refuse_unreadable_size,
    write_private,
)
from app.models import (
    RECORD_TYPES,
    UNVERSIONED,
    Colleague,
    Contact,
    Record,
    RecordError,
    Ritual,
    RitualEntry,
    record_id,
)
from app.paths import PathError, expand_home
from app.storage import Store

EXPORT_SCHEMA = 1
"""The version of the export format: one JSON document of every record. The data folder's
own schema (:data:`app.storage.SCHEMA_VERSION`) may move on without it (schema 2 split the
folder's files, not the records), so an export from this Tend imports into older ones."""

EXPORT_MARK = "tend_export"


def records_by_kind(store: Store) -> dict[type[Record], list[Record]]:
    return {cls: list(store.all(cls)) for cls in RECORD_TYPES}


# --------------------------------------------------------------------------- JSON


def export_document(store: Store) -> dict[str, Any]:
    """Everything (but drafts and settings) as one JSON-ready document.

    Every record carries its ``uid`` (one from before uids gets the stable one derived from
    the folder's, see :meth:`Store.uid_of`), so importing the file back adds nothing."""
    folder = store.folder_uid()

    def doc(record: Record) -> dict[str, Any]:
        out = record.to_doc()
        out["uid"] = store.uid_of(record, folder)
        return out

    return {
        EXPORT_MARK: 1,
        "schema": EXPORT_SCHEMA,
        "app_version": __version__,
        "exported": pendulum.now().isoformat(),
        "data": {
            cls.TABLE: {str(record.id): doc(record) for record in records}
            for cls, records in records_by_kind(store).items()
        },
    }


def export_json(store: Store, path: Path, *, force: bool = False) -> str:
    """Write all data as JSON. Returns a one-line summary."""
    document = export_document(store)
    raw = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    refuse_unreadable_size(raw, MAX_IMPORT_BYTES, "export")
    write_private(Path(path), raw, force=force)
    count = sum(len(table) for table in document["data"].values())
    return f"Saved {count} entries to {path}."


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        text = "; ".join(value)
    elif isinstance(value, (list, dict)):
        text = orjson.dumps(value).decode()
    else:
        text = str(value)
    # A spreadsheet would run a cell starting with "=" as a formula: keep it text.
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(cls: type[Record], records: Iterable[Record]) -> str:
    names = ["id"] + [f.name for f in fields(cls) if f.name not in UNVERSIONED]  # the store's count stays out
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for record in records:
        doc = record.to_doc()
        writer.writerow([str(record.id)] + [_cell(doc.get(name)) for name in names[1:]])
    return out.getvalue()


def export_csv(store: Store, directory: Path, *, force: bool = False) -> str:
    """Write one CSV per kind of record into ``directory`` (created 0700 if missing)."""
    directory = Path(directory)
    if os.path.islink(directory):
        raise ExchangeError(f"{directory} is a symbolic link; Tend will not write through it.")
    if not directory.exists():
        try:
            os.mkdir(directory, 0o700)
            os.chmod(directory, 0o700)
        except OSError as error:
            raise ExchangeError(f"Tend could not create {directory}: {error.strerror}.") from error
    if not directory.is_dir():
        if not directory.is_file():
            raise UsageError(f"{directory} is {kind_of(os.stat(directory).st_mode)}; for CSV give a folder to write into.")
        raise ExchangeError(f"{directory} is a file; for CSV give a folder to write into.")
    by_kind = records_by_kind(store)
    targets = {cls: directory / f"{cls.TABLE}.csv" for cls in by_kind}
    existing = [str(path) for path in targets.values() if os.path.lexists(path)]
    if existing and not force:
        raise ExchangeError(
            f"{existing[0]} already exists. Choose another folder, or add --force to replace it."
        )
    for cls, records in by_kind.items():
        write_private(targets[cls], csv_text(cls, records).encode(), force=force)
    return f"Saved {len(targets)} CSV files to {directory}."


# --------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    added: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    """Entries already here as they are in the file (skipped)."""
    updated: int = 0
    """Entries already here (the same uid) that the file has newer: changed to the file's."""
    kept: int = 0
    """Entries already here that differ from the file's copy, which is not newer: left as
    they are here."""
    dropped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        total = sum(self.added.values())
        parts = [f"Added {total} entries"]
        detail = ", ".join(f"{count} {table.replace('_', ' ')}" for table, count in self.added.items() if count)
        if detail:
            parts[0] += f" ({detail})"
        if self.updated:
            parts.append(f"{self.updated} updated to the file's newer copy")
        if self.duplicates:
            parts.append(f"{self.duplicates} already here, so skipped")
        if self.kept:
            parts.append(f"{self.kept} changed here since, so yours were kept")
        if self.dropped:
            parts.append(f"{len(self.dropped)} left out: " + "; ".join(self.dropped[:3]))
        return ". ".join(parts) + "."


MAX_IMPORT_BYTES = 1024 * 1024 * 1024
"""The largest Tend export :func:`read_export` reads, and so the largest :func:`export_json`
writes (it refuses more, plainly): what Tend exports, it imports. A 103 MB data file (decades
of use) exports to about 172 MB."""

def _json_document(raw: bytes) -> Any:
    """``orjson.loads`` of an export, after a byte order mark (an editor may add one)."""
    marked = bom_encoding(raw)
    if marked is None:
        return orjson.loads(raw)
    encoding, length = marked
    if encoding == "utf-8":
        return orjson.loads(memoryview(raw)[length:])
    try:
        return orjson.loads(raw[length:].decode(encoding))
    except UnicodeDecodeError:
        raise orjson.JSONDecodeError("not valid text", "", 0) from None


def _is_data_file(document: object) -> bool:
    """Whether ``document`` is one of Tend's own data files (``tend.json``, its backup, a
    history file): TinyDB's shape with Tend's ``_meta``, not an export."""
    if not isinstance(document, dict) or EXPORT_MARK in document:
        return False
    meta = document.get("_meta")
    return isinstance(meta, dict) and any(isinstance(doc, dict) and "schema" in doc for doc in meta.values())


def _export_it_first(path: Path, folder: Path) -> str:
    """What to do with a data folder (or a file in one) given to import: export it first, as
    reading it here could change it (a start moves old entries to their yearly files)."""
    return (
        f"{path} is Tend's own data, not an export, so Tend does not read it as one. To bring "
        f"it in, make an export from it first: tend --data {shlex.quote(str(folder))} export "
        "tend-export.json, then tend import tend-export.json."
    )


def data_folder_advice(path: Path) -> str | None:
    """For a Tend data folder given to import (``~`` already expanded), what to do instead;
    None for anything else. It reads nothing in the folder: opening it as a store could
    change it."""
    if os.path.isdir(path) and os.path.lexists(path / "tend.json"):
        return _export_it_first(path, path)
    return None


def _named_as_tends(name: str) -> bool:
    """Whether ``name`` is how Tend names a data file: ``tend.json``, a backup of it, a yearly
    history file (:func:`app.history.parse_versioned`)."""
    from app.history import parse_versioned

    return name == "tend.json" or name.startswith("tend.json.bak") or parse_versioned(name) is not None


def _data_file_advice(path: Path) -> str:
    """:func:`_export_it_first` for a file of a data folder (``tend.json`` or ``history/...``)."""
    return _export_it_first(path, path.parent.parent if path.parent.name == "history" else path.parent)


def data_file_advice(path: Path) -> str | None:
    """For one of Tend's own data files given to import, what to do instead; None for anything
    else. Only a file named as Tend names them is read (and only to tell), so an export is read
    once, by the import."""
    if not _named_as_tends(path.name):
        return None
    try:
        document = _json_document(read_user_file(path, limit=MAX_IMPORT_BYTES, too_big=""))
    except (ExchangeError, orjson.JSONDecodeError):
        return None  # the import itself says what is wrong with it
    return _data_file_advice(path) if _is_data_file(document) else None


OTHER_EXPORT_KINDS: Final = {".csv": "a CSV file, for a spreadsheet to read", ".ics": "a calendar file, for a calendar to read",
                              ".ical": "a calendar file, for a calendar to read"}  # fmt: skip
"""Files ``tend export`` also writes, that ``tend import`` does not read back, by suffix."""

WHAT_IMPORTS: Final = ("Tend imports its own JSON exports (made with 'tend export FILE.json') and address books "
                       "(.vcf).")  # fmt: skip


def read_export(path: Path) -> dict[type[Record], list[Record]]:
    """Read and validate an export file. Raises :class:`ExchangeError` for anything wrong."""
    try:
        path = expand_home(path)
    except PathError as problem:  # ~name for a user who does not exist
        raise ExchangeError(str(problem)) from None
    advice = data_folder_advice(path)
    if advice:
        raise ExchangeError(advice)
    raw = read_user_file(path, limit=MAX_IMPORT_BYTES, too_big=f"{path} is too large to be a Tend export.")
    try:
        document = _json_document(raw)
    except orjson.JSONDecodeError:
        kind = OTHER_EXPORT_KINDS.get(path.suffix.lower())
        if kind is not None:  # one of Tend's other exports, made for another program
            raise ExchangeError(f"{path} is {kind}. {WHAT_IMPORTS}") from None
        raise ExchangeError(f"{path} is not a Tend export (it is not valid JSON).") from None
    if _is_data_file(document):
        raise ExchangeError(_data_file_advice(path))
    if not isinstance(document, dict) or document.get(EXPORT_MARK) != 1 or not isinstance(document.get("data"), dict):
        raise ExchangeError(f"{path} is not a Tend export.")
    schema = document.get("schema")
    if type(schema) is not int or schema < 1:  # not isinstance: true is an int to Python
        raise ExchangeError(f"{path} has no readable version mark.")
    if schema > EXPORT_SCHEMA:
        raise ExchangeError(
            f"{path} was made by a newer Tend (data version {schema}). Update Tend to import it."
        )
    problems: list[str] = []
    result: dict[type[Record], list[Record]] = {}
    for cls in RECORD_TYPES:
        table = document["data"].get(cls.TABLE, {})
        if not isinstance(table, dict):
            problems.append(f"{cls.TABLE} is not in the right shape")
            continue
        records: list[Record] = []
        for key, doc in table.items():
            try:
                records.append(cls.from_doc(doc, record_id(key)).cleaned())
            except RecordError as error:
                problems.append(f"{cls.TABLE} {key}: {error}")
        result[cls] = records
    if problems:
        shown = "; ".join(problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ExchangeError(f"{path} could not be imported, and nothing was changed: {shown}{more}.")
    return result


_NOT_CONTENT = UNVERSIONED | {"created"}
"""Left out of a record's content signature: the store's bookkeeping, and when it was added
(a record stored without ``created`` reads a moment of its own: now, or for a colleague
:data:`app.models.LONG_AGO`)."""


def _signature(record: Record) -> bytes:
    """What a record says (not how often it was edited, nor its ids): equal for the same
    entry in two files, even in an export made before uids."""
    doc = record.to_doc()
    for name in _NOT_CONTENT:
        doc.pop(name, None)
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def import_json(store: Store, path: Path) -> ImportReport:
    """Add everything from an export file to the store, in one transaction.

    A record is matched first by its ``uid`` (the same uid is the same record: updated when
    the file's copy is newer by version and says something else, else left as it is), then,
    for records from exports made before uids, by what it says (:func:`_signature`). So a
    round trip adds nothing, and importing the same file twice adds nothing the second time.
    """
    incoming = read_export(path)
    report = ImportReport()
    id_maps: dict[type[Record], dict[int, int]] = {cls: {} for cls in RECORD_TYPES}

    def remap(record: Record) -> Record | None:
        if isinstance(record, Contact):
            new = id_maps[Colleague].get(record.colleague_id)
            if new is None:
                report.dropped.append(f"a contact for an unknown colleague ({record.colleague_id})")
                return None
            record.colleague_id = new
        elif isinstance(record, RitualEntry):
            new = id_maps[Ritual].get(record.ritual_id)
            if new is None:
                report.dropped.append(f"an entry for an unknown ritual ({record.ritual_id})")
                return None
            record.ritual_id = new
        elif isinstance(record, Ritual):
            record.colleague_ids = [id_maps[Colleague][cid] for cid in record.colleague_ids if cid in id_maps[Colleague]]
        return record

    order: list[type[Record]] = [Colleague, Ritual] + [cls for cls in RECORD_TYPES if cls not in (Colleague, Ritual)]
    with store.transaction():
        folder = store.folder_uid()
        for cls in order:
            here = store.all(cls)
            by_uid = {store.uid_of(record, folder): record for record in here}
            by_uid.pop("", None)
            coming = {record.uid for record in incoming.get(cls, []) if record.uid}
            # Entries here that no uid in the file claims, by what they say: each matches one
            # entry of the file (two identical contacts here match two in the file, not one).
            pool: dict[bytes, list[int]] = {}
            for uid, record in by_uid.items():
                if uid not in coming:
                    pool.setdefault(_signature(record), []).append(record.id)  # type: ignore[arg-type]  # a stored record has its id
            for record in here:
                if not store.uid_of(record, folder):
                    pool.setdefault(_signature(record), []).append(record.id)  # type: ignore[arg-type]  # a stored record has its id
            added = 0
            for record in incoming.get(cls, []):
                old_id = record.id
                mapped = remap(record)
                if mapped is None:
                    continue
                mapped.id = None
                signature = _signature(mapped)
                same = by_uid.get(mapped.uid) if mapped.uid else None
                if same is not None:
                    id_maps[cls][old_id] = same.id  # type: ignore[index,assignment]  # an exported record and a stored one have ids
                    if _signature(same) == signature:
                        report.duplicates += 1
                    elif mapped.version > same.version:
                        newer = dataclasses.replace(mapped, id=same.id, version=same.version, uid=same.uid)
                        by_uid[mapped.uid] = store.update(newer, version_at_least=mapped.version)
                        report.updated += 1
                    else:
                        report.kept += 1
                    continue
                if pool.get(signature):
                    id_maps[cls][old_id] = pool[signature].pop(0)  # type: ignore[index]  # an exported record has its id
                    report.duplicates += 1
                    continue
                saved = store.add(mapped)
                id_maps[cls][old_id] = saved.id  # type: ignore[index,assignment]  # both have ids: exported, and just saved
                by_uid[saved.uid] = saved
                added += 1
            report.added[cls.TABLE] = added
    return report


def export_vcf(store: Store, path: Path, *, force: bool = False) -> str:
    """All colleagues as a vCard 3.0 address book (see :mod:`app.vcard`)."""
    from app.vcard import export_vcf as export

    return export(store, path, force=force)


def export_ics(store: Store, path: Path, *, force: bool = False) -> str:
    """Every active ritual as an .ics calendar (see :mod:`app.ics`)."""
    from app.ics import export_ics as write_calendar

    return write_calendar(store, path, force=force)


EXPORTERS = {"json": export_json, "csv": export_csv, "ics": export_ics, "vcf": export_vcf}
"""Export formats by name: ``fn(store, path, force=...) -> summary``."""

__all__ = [
    "EXPORTERS",
    "ExchangeError",
    "ImportReport",
    "UsageError",
    "export_csv",
    "export_json",
    "import_json",
    "read_export",
]
