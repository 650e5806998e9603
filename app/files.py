"""Files someone names: reading one to import, writing an export, the same way for every format.

Only an ordinary file is read or written (a device, pipe, socket or folder is refused with
a plain message), an export is written atomically and private (0600), never over an
existing file unless asked, and never through a symbolic link. The formats (JSON and CSV in
:mod:`app.exchange`, vCard in :mod:`app.vcard`, iCalendar in :mod:`app.ics`) import these
from here; :mod:`app.exchange` also offers them under its own name, as before.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.paths import PathError, expand_home, shown_path
from app.storage import SaveError, StoreError, atomic_write
from app.textclean import clean_text


class ExchangeError(StoreError):
    """An export or import that could not be done; the message says why in plain words."""


class UsageError(ExchangeError):
    """The command asked for something Tend will not do (the command line exits with 2)."""


# --------------------------------------------------------------------------- writing files


def kind_of(mode: int) -> str:
    """What is at a path that is not an ordinary file, in words ("a folder", "a pipe"...)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def refuse_odd_target(path: Path) -> None:
    """Raise :class:`UsageError` if something other than an ordinary file (or a symlink,
    refused separately) is at ``path``: an export never replaces a device, a pipe, a socket
    or a folder, even with ``--force`` (as root, replacing ``/dev/null`` would break the system)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError:
        return  # the write itself will say what is wrong
    if stat.S_ISLNK(mode):
        raise ExchangeError(f"{path} is a symbolic link; Tend will not write through it.")
    if not stat.S_ISREG(mode):
        raise UsageError(
            f"{path} is {kind_of(mode)}, not a file. Tend writes an export only to a new name "
            "or over an ordinary file; choose another name."
        )


def refuse_inside(path: Path, folder: Path) -> None:
    """Refuse an export to ``path`` when it is Tend's data ``folder`` or inside it (through a
    symbolic link too): with --force, ``tend export <folder>/tend.json`` put an export in
    the place of the data file itself, and one in its backup's place or its history's."""
    target, home = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    if target == home or home in target.parents:
        shown, place = shown_path(path), shown_path(folder)
        where = "is Tend's own data folder" if target == home else f"is inside Tend's own data folder ({place})"
        raise UsageError(f"{shown} {where}, where an export could take the place of your data. Choose a place outside it.")


def write_private(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` (0600, atomically); refuse to overwrite unless ``force``.

    Whatever ``force`` says, only a new name or an ordinary file is written: a device, pipe,
    socket or folder at ``path`` is refused before writing and checked again just before the
    new file takes its place.
    """
    path = Path(path)
    if not os.path.islink(path):
        refuse_odd_target(path)
    if os.path.lexists(path) and not force:
        raise ExchangeError(f"{path} already exists. Choose another name, or add --force to replace it.")
    if os.path.islink(path):
        raise ExchangeError(f"{path} is a symbolic link; Tend will not write through it.")
    if not path.parent.is_dir():
        raise ExchangeError(f"The folder {path.parent} does not exist.")
    try:
        atomic_write(path, data, temp_prefix=".tend-export-", before_replace=lambda: refuse_odd_target(path))
    except SaveError as error:
        raise ExchangeError(str(error)) from error


def refuse_unreadable_size(data: bytes, limit: int, what: str) -> None:
    """Refuse to export ``data`` that the matching import would refuse as too big: what Tend
    exports, it imports (the import reads up to ``limit`` bytes)."""
    if len(data) > limit:
        raise ExchangeError(
            f"This {what} would be {_size(len(data))}, more than Tend can import back "
            f"({_size(limit)}), so nothing was written. --format csv writes one smaller file per kind."
        )


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


# --------------------------------------------------------------------------- reading files

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)


def _not_a_file(st: os.stat_result, shown: str, error: type[Exception]) -> Exception | None:
    if stat.S_ISDIR(st.st_mode):
        return error(f"{shown} is a folder, not a file.")
    if not stat.S_ISREG(st.st_mode):
        return error(
            f"{shown} is {kind_of(st.st_mode)}, not a file, so Tend will not read it. "
            "Give the path of the file itself."
        )
    return None


def check_user_file(
    path: Path, *, limit: int, too_big: str, error: type[Exception] = ExchangeError
) -> None:
    """Raise ``error`` with a plain message unless ``path`` is an ordinary file (a symlink to
    one is fine) of at most ``limit`` bytes. Opens nothing: cheap enough for a prompt."""
    try:
        path = expand_home(path)
    except PathError as problem:  # ~name for a user who does not exist
        raise error(str(problem)) from None
    shown = clean_text(str(path), limit=500)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(f"There is no file at {shown}.") from None
    except OSError as problem:
        raise error(f"Tend could not open {shown}: {clean_text(problem.strerror or str(problem))}.") from None
    refused = _not_a_file(st, shown, error)
    if refused is not None:
        raise refused
    if st.st_size > limit:
        raise error(too_big)


def read_user_file(
    path: Path, *, limit: int, too_big: str, error: type[Exception] = ExchangeError
) -> bytes:
    """The bytes of a file someone asked Tend to import, or ``error`` with a plain message.

    Only an ordinary file is read (a symlink to one is fine): a device such as ``/dev/zero``
    never ends and reports no size, and a pipe may never deliver. The file is opened without
    blocking and checked again once open, and at most ``limit`` + 1 bytes are ever read.

    The path is shown cleaned, since it may have been typed or pasted with anything in it.
    """
    try:
        path = expand_home(path)
    except PathError as problem:  # ~name for a user who does not exist
        raise error(str(problem)) from None
    check_user_file(path, limit=limit, too_big=too_big, error=error)
    shown = clean_text(str(path), limit=500)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC | _NOCTTY)
    except FileNotFoundError:
        raise error(f"There is no file at {shown}.") from None
    except OSError as problem:
        raise error(f"Tend could not open {shown}: {clean_text(problem.strerror or str(problem))}.") from None
    try:
        st = os.fstat(fd)
        refused = _not_a_file(st, shown, error)  # swapped for something else since the check
        if refused is not None:
            raise refused
        data = b""
        with os.fdopen(os.dup(fd), "rb") as handle:
            # The size is known, so the buffer is never bigger than the file; reading one byte
            # more than that notices a file still growing, which is read on up to the cap.
            data = handle.read(min(st.st_size, limit) + 1)
            if len(data) > st.st_size and len(data) <= limit:
                data += handle.read(limit + 1 - len(data))
    except OSError as problem:
        raise error(f"Tend could not read {shown}: {clean_text(problem.strerror or str(problem))}.") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error(too_big)
    return data


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte order mark at the start of ``data`` announces, and the mark's
    length; None without one."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding, len(mark)
    return None
