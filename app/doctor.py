"""``tend doctor``: check the data folder, the data file and the terminal, in plain words.

Each check gives a line marked ``ok``, ``note`` or ``attention``. Only ``attention`` makes
the command exit non-zero. ``--fix`` tightens permissions and removes stale temp files (taking
the store's lock first, so a running Tend is never disturbed mid-save).
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pendulum

from app.models import BY_TABLE, RecordError, load_record
from app.paths import DataPaths, shown_path
from app.storage import (
    SCHEMA_VERSION,
    DamagedFileError,
    InterProcessLock,
    StoreError,
    UnsafePathError,
    atomic_write,
    folder_unwritable,
    layout_problem,
    parse_database,
    read_bytes_nofollow,
    refuse_a_folder_of_other_things,
    schema_of,
)

if TYPE_CHECKING:
    from app.config import KeyCheck

OK, NOTE, ATTENTION = "ok", "note", "attention"


@dataclass
class Finding:
    level: str
    text: str
    fixed: bool = False
    """Whether this reports something ``--fix`` just put right (always shown)."""

    def line(self) -> str:
        mark = {OK: "[ok]       ", NOTE: "[note]     ", ATTENTION: "[attention]"}[self.level]
        return f"{mark} {self.text}"


def _mode(st: os.stat_result) -> str:
    return oct(stat.S_IMODE(st.st_mode))[2:].zfill(4)


def _check_path(path: Path, want: int, what: str, fix: bool) -> Finding:
    shown = shown_path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return Finding(NOTE, f"{what} {shown} does not exist yet.")
    if stat.S_ISLNK(st.st_mode):
        if what == "The backup":  # not the data: Tend sets the link itself aside and makes a fresh copy
            return Finding(ATTENTION, f"{what} {shown} is a symbolic link, which Tend never follows: at the next start "
                                      "it moves the link aside, untouched, and makes a fresh copy.")
        return Finding(ATTENTION, f"{what} {shown} is a symbolic link; Tend will refuse it. Move it away.")
    if st.st_uid != os.geteuid():
        return Finding(ATTENTION, f"{what} {shown} belongs to another user; Tend will refuse it.")
    if want == 0o600:
        odd = _check_odd_file(path, st, what, fix)
        if odd is not None:
            return odd
    if stat.S_IMODE(st.st_mode) & 0o077:
        if fix:
            try:
                os.chmod(path, want, follow_symlinks=False)
            except OSError as error:
                return Finding(ATTENTION, f"{what} {shown} is {_mode(st)}, so others may read it, and it could not be made private: "
                                          f"{error.strerror}.")
            return Finding(OK, f"{what} {shown} was {_mode(st)}; now private ({oct(want)[2:].zfill(4)}).", fixed=True)
        return Finding(ATTENTION, f"{what} {shown} is {_mode(st)}, so others may read it. 'tend doctor --fix' makes it private.")
    return Finding(OK, f"{what} {shown} is private ({_mode(st)}).")


def _check_odd_file(path: Path, st: os.stat_result, what: str, fix: bool) -> Finding | None:
    """A finding for one of Tend's files that is a folder, not a plain file, or a hard link;
    None when it is an ordinary file. ``fix`` removes an empty folder and gives a hard-linked
    file a copy of its own (the other name keeps the old one, untouched)."""
    if stat.S_ISDIR(st.st_mode):
        if not fix:
            return Finding(ATTENTION, f"{what} {shown_path(path)} is a folder, not a file, so Tend will not start. 'tend doctor --fix' "
                                      "removes it if it is empty.")
        try:
            os.rmdir(path)
        except OSError:
            return Finding(ATTENTION, f"{what} {shown_path(path)} is a folder with something in it, so Tend will not start. Move it away; "
                                      "doctor leaves it as it is.")
        return Finding(OK, f"{what} {shown_path(path)} was an empty folder, not a file; removed, so Tend can start.", fixed=True)
    if not stat.S_ISREG(st.st_mode):
        return Finding(ATTENTION, f"{what} {shown_path(path)} is not a plain file; Tend will refuse it. Move it away.")
    if st.st_nlink > 1:
        if not fix:
            return Finding(ATTENTION, f"{what} {shown_path(path)} is also linked from somewhere else on this disk (a hard link), so Tend "
                                      "will refuse it. 'tend doctor --fix' gives Tend a copy of its own.")
        lock = DataPaths(path.parent).lock
        try:
            if path == lock:
                os.unlink(path)  # it holds nothing; Tend makes a new one at the next start
            else:
                with InterProcessLock(lock):
                    atomic_write(path, read_bytes_nofollow(path))  # a new file, not the shared one
        except (OSError, StoreError) as error:
            return Finding(ATTENTION, f"{what} {shown_path(path)} is a hard link, and Tend could not give itself a copy of its own: "
                                      f"{error}")
        return Finding(OK, f"{what} {shown_path(path)} was a hard link; Tend now has a copy of its own, and the other name keeps the old "
                           "one, untouched.", fixed=True)
    return None


def check_data(root: Path, *, fix: bool = False) -> list[Finding]:
    paths = DataPaths(root)
    findings = [Finding(OK if root.exists() else NOTE, f"Data folder: {shown_path(root)}")]
    if not os.path.lexists(root):
        findings.append(Finding(NOTE, "Tend has not saved anything here yet; it will create the folder on first start."))
        return findings
    if not os.path.islink(root):
        try:
            refuse_a_folder_of_other_things(root)
        except UnsafePathError as refused:  # --fix leaves it as it is too: it is not Tend's to change
            findings.append(Finding(ATTENTION, str(refused)))
            return findings
    findings.append(_check_path(root, 0o700, "The folder", fix))
    why = folder_unwritable(root) if os.path.isdir(root) else None
    if why:
        findings.append(Finding(ATTENTION, f"Nothing can be saved in the folder ({why}), so Tend opens your data read-only: you can look "
                                           "and export, but not change anything."))
    for path, what in ((paths.database, "The data file"), (paths.lock, "The lock file"), (paths.backup, "The backup")):
        if os.path.lexists(path):
            findings.append(_check_path(path, 0o600, what, fix))

    if os.path.lexists(paths.database):
        try:
            data = parse_database(read_bytes_nofollow(paths.database))
            version = schema_of(data)
            records = sum(len(table) for name, table in data.items() if not name.startswith("_"))
            if layout_problem(data):
                findings.append(Finding(ATTENTION, f"{layout_problem(data)} (The folder holds data version {version}.)"))
            elif version > SCHEMA_VERSION:
                findings.append(Finding(ATTENTION, f"The data file is from a newer Tend (data version {version}); this one opens it "
                                                   "read-only."))
            else:
                findings.append(Finding(OK, f"The data file reads cleanly: data version {version}, {records} "
                                            f"{'entry' if records == 1 else 'entries'}."))
                findings += _check_history(root, data, fix)
                findings += _unreadable_entries(data)
                findings += unclear_schedules(data)
        except (DamagedFileError, StoreError) as error:
            findings.append(Finding(ATTENTION, f"The data file can't be read ({error}). Start Tend: it keeps the file aside and restores "
                                               "the backup."))
        except OSError as error:
            findings.append(Finding(ATTENTION, f"The data file can't be opened: {error.strerror}."))

    elif os.path.lexists(paths.backup) or paths.kept_aside():
        findings.append(Finding(ATTENTION, "There is no data file, but there are copies of it here: the next start of Tend brings back "
                                           "the newest good one."))

    if os.path.lexists(paths.backup):
        age = pendulum.from_timestamp(os.lstat(paths.backup).st_mtime).in_timezone(pendulum.local_timezone())
        try:
            parse_database(read_bytes_nofollow(paths.backup))
            findings.append(Finding(OK, f"The backup is good, from {age.diff_for_humans()}."))
        except (StoreError, OSError):
            findings.append(Finding(ATTENTION, "The backup can't be read; at the next start Tend keeps it aside, untouched, and makes a "
                                               "fresh one."))
    else:
        findings.append(Finding(NOTE, "There is no backup yet; one is made at each good start."))

    kept = paths.kept_aside()
    if kept:
        findings.append(Finding(NOTE, f"{len(kept)} older or damaged file(s) kept aside, e.g. {shown_path(kept[-1].name)}; delete them "
                                      "once you are sure nothing in them is needed."))

    temps = paths.temp_files()
    if temps:
        if fix:
            try:
                lock = InterProcessLock(paths.lock)
                lock.on_wait = _say_waiting  # another Tend is saving: a wait is never silent
                with lock:
                    for temp in paths.temp_files():
                        if os.lstat(temp).st_uid == os.geteuid():
                            os.unlink(temp)
                findings.append(Finding(OK, f"Removed {len(temps)} leftover temporary file(s)."))
            except (OSError, StoreError) as error:
                findings.append(Finding(ATTENTION, f"Could not remove leftover temporary files: {error}"))
        else:
            findings.append(Finding(NOTE, f"{len(temps)} leftover temporary file(s) from an interrupted save; 'tend doctor --fix' removes "
                                          "them (Tend also does at start)."))
    return findings


def _recount(root: Path, labels: list[str], fix: bool) -> Finding:
    """The finding for history files whose totals (the breathing screen's "In all" adds them
    up) differ from what the files hold; ``fix`` counts them again through the store."""
    from app.storage import Store

    named = ", ".join(labels)
    if not fix:
        return Finding(ATTENTION, f"The totals Tend keeps for {named} do not match what the file holds, so a total shown "
                                  "from them may be off. 'tend doctor --fix' counts them again.")
    try:
        Store.open(root, on_lock_wait=_say_waiting).recount_history()
    except (OSError, StoreError) as error:
        return Finding(ATTENTION, f"The totals Tend keeps for {named} do not match what the file holds, and Tend could not "
                                  f"count them again: {error}")
    return Finding(OK, f"The totals Tend keeps for {named} did not match the file; counted again.", fixed=True)


def _check_other_history_files(folder: Path, current: set[str], fix: bool) -> list[Finding]:
    """Privacy of everything else in ``history/``: the versions kept from before a change and
    files kept aside hold the same entries, so they are checked as the current ones are."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in names:
        if name not in current:
            path = folder / name
            if os.path.isdir(path) and not os.path.islink(path):
                continue
            found.append(_check_path(path, 0o600, "The history copy", fix))
    return found


def _check_history(root: Path, data: dict[str, dict[str, Any]], fix: bool) -> list[Finding]:
    """Every yearly history file the data names (docs/storage.md): there, private, readable,
    holding as many entries as the data says."""
    from app.history import versioned

    meta = next(iter(data["_meta"].values()))
    files = meta.get("files") or {}
    if not files:
        return []
    folder = root / "history"
    findings = [_check_path(folder, 0o700, "The history folder", fix)]
    infos = (meta.get("history") or {}).get("files") or {}
    held = 0
    off: list[str] = []  # files whose totals in tend.json differ from what they hold
    for name, generation in sorted(files.items()):
        path = folder / versioned(name, generation)
        label = name.replace("_", " ").replace("-", " from ")
        try:
            kept = parse_database(read_bytes_nofollow(path))
        except FileNotFoundError:
            findings.append(Finding(ATTENTION, f"The history file for {label} is missing; the next start of Tend puts back its "
                                               "earlier copy if there is one, and says what may be missing."))
            continue
        except (OSError, StoreError) as error:
            findings.append(Finding(ATTENTION, f"The history file for {label} can't be read ({error}); Tend keeps it aside and "
                                               "puts back its earlier copy when it next reads it."))
            continue
        findings.append(_check_path(path, 0o600, f"The history file for {label}", fix))
        table = name.rpartition("-")[0]
        docs = kept.get(table) or {}
        count = len(docs)
        if count != (infos.get(name) or {}).get("records"):
            findings.append(Finding(ATTENTION, f"The history file for {label} holds {count} entries, not the "
                                               f"{(infos.get(name) or {}).get('records')} Tend wrote."))
        cls = BY_TABLE.get(table)
        counted = cls.tally(docs.values()) if cls is not None and isinstance(docs, dict) else None
        if counted is not None and (infos.get(name) or {}).get("tally") != counted:
            off.append(label)
        held += count
    if off:
        findings.append(_recount(root, off, fix))
    findings += _check_other_history_files(folder, {versioned(name, generation) for name, generation in files.items()}, fix)
    findings = [f for f in findings if f.level != OK or f.fixed]
    findings.append(Finding(OK, f"Older history: {len(files)} yearly files, {held:,} entries."))
    copies = sorted(p.name for p in root.glob("tend.json.schema1-*"))
    if copies:
        findings.append(Finding(NOTE, f"A copy of your data from before its move to yearly files is kept as {copies[-1]}; it goes "
                                      "once Tend has checked the move."))
    return findings


def _say_waiting() -> None:
    print("Waiting for another Tend to finish saving...", file=sys.stderr, flush=True)


def _unreadable_entries(data: dict[str, dict[str, Any]]) -> list[Finding]:
    """Entries Tend leaves out as it reads them (a date in year 1 typed in by hand, say)."""
    bad: list[str] = []
    for table, documents in data.items():
        cls = BY_TABLE.get(table)
        if cls is None:
            continue
        for key, doc in documents.items():
            try:
                load_record(cls, doc, int(key), copy=False)
            except (RecordError, ValueError) as error:
                bad.append(f"{table.replace('_', ' ')} {key} ({error})")
    if not bad:
        return []
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    return [Finding(ATTENTION, f"{len(bad)} {'entry does' if len(bad) == 1 else 'entries do'} not fit, so Tend leaves "
                    f"{'it' if len(bad) == 1 else 'them'} out (kept in the file, unchanged): {'; '.join(bad[:5])}{more}.")]


def unclear_schedules(data: dict[str, dict[str, Any]]) -> list[Finding]:
    """Rituals whose stored schedule Tend cannot read as it is (an "every 2nd Tuesday" with no
    start date, say): each named, with what Tend does with it and how to settle it."""
    from app.models import Ritual
    from app.rituals import read_schedule, stored_words

    findings: list[Finding] = []
    for key, doc in data.get(Ritual.TABLE, {}).items():
        try:
            ritual = load_record(Ritual, doc, int(key), copy=False)
        except (RecordError, ValueError):
            continue  # named by _unreadable_entries
        schedule, why = read_schedule(ritual)
        if not why:
            continue
        from app.schedule import describe

        name = visible_name(ritual.name)
        if schedule is not None:
            text = (f'The ritual "{name}" says "{stored_words(ritual.schedule)}" with no start date. Tend reads it as '
                    f"{describe(schedule)}, {why}. Give it a start date (e on it in Rituals) to be sure.")
        else:
            text = (f'The ritual "{name}" has a schedule Tend cannot read ({why}). Its history is kept and shown; '
                    "press e on it in Rituals to say how often it comes round.")
        findings.append(Finding(ATTENTION, text))
    return findings


def visible_name(name: str) -> str:
    """A ritual's name for a line of the report: cleaned, on one line, not too long."""
    from app.textclean import clean_text

    cleaned = clean_text(name, limit=60)
    return " ".join(cleaned.split())


def check_terminal(environ: dict[str, str] | None = None) -> list[Finding]:
    env = dict(os.environ if environ is None else environ)
    findings: list[Finding] = []
    term = env.get("TERM", "")
    size = shutil.get_terminal_size(fallback=(0, 0))
    if not term or term == "dumb":
        findings.append(Finding(ATTENTION, f"TERM is {term or 'not set'}; Tend needs a full terminal."))
    else:
        findings.append(Finding(OK, f"Terminal type: {term}."))
    if size.columns and size.lines:
        level = OK if size.columns >= 80 and size.lines >= 24 else NOTE
        findings.append(Finding(level, f"Terminal size: {size.columns}x{size.lines} (Tend is designed for 80x24 and up)."))
    colour = env.get("COLORTERM", "")
    if env.get("NO_COLOR"):
        findings.append(Finding(OK, "NO_COLOR is set: Tend shows meaning with words and symbols, not colour."))
    elif colour in ("truecolor", "24bit"):
        findings.append(Finding(OK, "Colours: full colour."))
    elif "256" in term:
        findings.append(Finding(OK, "Colours: 256."))
    else:
        findings.append(Finding(OK, "Colours: basic (Tend never relies on colour alone)."))
    from app import glyphs

    findings.append(Finding(OK if glyphs.unicode_ok(env) else NOTE, glyphs.why(env)))
    if "TMUX" in env:
        findings.append(Finding(NOTE, "Inside tmux: copying to the clipboard needs 'set -g set-clipboard on'. Tend always shows the "
                                      "message too."))
    return findings


def check_config(environ: dict[str, str] | None = None, keys: KeyCheck | None = None) -> list[Finding]:
    """The config file (app.config): where it is, and a line for each thing in it left out.
    ``keys``: every key Tend has and how the UI spells a key, to check ``[keys]`` against
    (None: not checked)."""
    from app.config import load_config

    config = load_config(environ)
    shown = shown_path(config.path)
    if not config.exists:
        return [Finding(OK, f"No config file at {shown}; Tend uses its usual settings.")]
    problems = list(config.problems)
    if keys is not None and config.keys:
        problems += config.keymap(*keys)[1]
    if not problems:
        return [Finding(OK, f"Config file {shown} reads well.")]
    return [Finding(ATTENTION, problem) for problem in problems]


def run_doctor(
    root: Path, *, fix: bool = False, environ: dict[str, str] | None = None, keys: KeyCheck | None = None
) -> tuple[str, int]:
    """The report and the exit code (1 when something needs attention)."""
    findings = check_data(root, fix=fix) + check_terminal(environ) + check_config(environ, keys)
    attention = any(f.level == ATTENTION for f in findings)
    summary = "Something above needs your attention." if attention else "All is well."
    return "\n".join([f.line() for f in findings] + ["", summary]), 1 if attention else 0
