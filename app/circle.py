"""The circle: colleagues who use Tend on the same shared server reach each other there.

A circle is one folder made by whoever administers a Unix group (``tend circle create DIR
--group GROUP``): owned by that group, setgid, sticky, no access for others (mode 3770).
Each member has a folder of their own inside it, named by their user name, that only they
write and the others only read (mode 2750). What a member shares is a small JSON file in
their own folder, written atomically (a temporary name, then a rename):

* ``status.json``: a status with an end time ("free for a debrief until 12:30");
* ``checkin-<time>-<random>.json``: a check-in to one member;
* ``ask-<time>-<random>.json``: "could use a debrief", to everyone or to chosen members;
* ``answer-<time>-<random>.json``: "I can", for someone's ask; the first answer takes it.

**Who wrote something** is the owner of the file as the kernel reports it (``fstat``), never
a name inside the file. **Reading** another member's file: ``os.open`` with ``O_NOFOLLOW |
O_NONBLOCK`` relative to a handle of the checked member folder (``dir_fd``), ``fstat`` to
require an ordinary file owned by that member and no bigger than :data:`MESSAGE_BYTES`,
then a bounded read. Each folder is read up to :data:`FOLDER_BYTES` and
:data:`FOLDER_ENTRIES`; each member's messages count up to :data:`MESSAGES_PER_DAY` a day.
A file that breaks any rule is named in :attr:`CircleView.problems` and skipped: never
fatal. All text passes through :func:`app.textclean.clean_text`. Nothing here uses the
network, and nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import errno
import grp
import json
import os
import pwd
import re
import secrets
import stat
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pendulum
from pendulum import DateTime

from app.textclean import clean_text, visible_controls

if TYPE_CHECKING:
    from app.models import Colleague
    from app.storage import Store

CIRCLE_MODE = 0o3770
"""setgid + sticky + rwx for the owner and the group, nothing for others."""
MEMBER_MODE = 0o2750
"""A member's folder: they write, the group reads, others nothing (setgid keeps the group)."""
FILE_MODE = 0o640
MESSAGE_BYTES = 16 * 1024
"""The largest file read from another member."""
MESSAGE_CHARS = 1000
"""The longest text of a message or a status, in characters."""
FOLDER_BYTES = 1024 * 1024
"""At most this much is read from one member's folder."""
FOLDER_ENTRIES = 1000
"""At most this many names are looked at in one member's folder."""
MESSAGES_PER_DAY = 50
"""At most this many check-ins, asks and answers a member sends (and is read) a day."""
MAX_MEMBERS = 500
FUTURE_SLACK = 300
"""Seconds a message may be dated ahead of this clock (clocks differ a little) before it is
skipped: one dated far ahead would otherwise stay on top and never expire."""
DEFAULT_EXPIRY_DAYS = 14
SHARES = ("status", "checkins", "asks")
"""What a member can share, each off until they turn it on."""

README = """\
This folder is a Tend circle: colleagues on this server reach each other here.
Each member has a folder of their own, named by their user name; only they write in it.
Join with:   tend circle join {path}
Leave with:  tend circle leave   (removes everything you wrote)
Nothing here leaves this machine.
"""

_NAME = re.compile(r"^(checkin|ask|answer)-(\d{8}T\d{6})-([0-9a-f]{8})\.json$")
STATUS_FILE = "status.json"
_TEMP_PREFIX = ".tmp-"


class CircleError(Exception):
    """A circle folder that is unsafe or cannot be used; the text says why, plainly."""


# -- who is who ---------------------------------------------------------------------------


def user_name(uid: int) -> str:
    """The user name the kernel's uid stands for (``uid 1234`` when it has none)."""
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"
    return clean_text(name, limit=64) or f"uid {uid}"


def me() -> str:
    return user_name(os.geteuid())


def _group_name(gid: int) -> str:
    try:
        return clean_text(grp.getgrgid(gid).gr_name, limit=64)
    except KeyError:
        return f"gid {gid}"


def _in_group(gid: int) -> bool:
    return gid == os.getegid() or gid in os.getgroups()


def _shown(path: Path | str) -> str:
    from app.paths import shown_path

    return shown_path(Path(path))


# -- the circle folder ----------------------------------------------------------------------


def check_circle_stat(st: os.stat_result, path: Path | str) -> None:
    """Raise :class:`CircleError` when a circle folder with this ``lstat`` is unsafe."""
    where = _shown(path)
    if stat.S_ISLNK(st.st_mode):
        raise CircleError(f"{where} is a symbolic link. A circle must be the folder itself, not a link to it.")
    if not stat.S_ISDIR(st.st_mode):
        raise CircleError(f"{where} is not a folder.")
    if st.st_mode & stat.S_IWOTH:
        raise CircleError(f"{where} can be written by anyone on this server. Its mode should be 3770 (ask whoever set it up).")
    if st.st_mode & (stat.S_IROTH | stat.S_IXOTH):
        raise CircleError(f"{where} can be read by anyone on this server. Its mode should be 3770 (ask whoever set it up).")
    if not st.st_mode & stat.S_ISVTX:
        raise CircleError(
            f"{where} is not sticky, so members could remove each other's folders. Its mode should be 3770 (ask whoever set it up)."
        )
    if not _in_group(st.st_gid):
        raise CircleError(f"{where} belongs to the group {_group_name(st.st_gid)}, and you are not in it.")


@contextlib.contextmanager
def open_circle(path: Path | str) -> Iterator[int]:
    """A handle (fd) of the checked circle folder, closed afterwards. Raises :class:`CircleError`."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR) and path.is_symlink():
            raise CircleError(f"{_shown(path)} is a symbolic link. A circle must be the folder itself, not a link to it.") from None
        if error.errno == errno.ENOENT:
            raise CircleError(f"There is no circle at {_shown(path)}.") from None
        if error.errno == errno.EACCES:
            with contextlib.suppress(OSError):
                check_circle_stat(os.lstat(path), path)  # the reason, when it is one of these
            raise CircleError(
                f"{_shown(path)} cannot be opened: you may not be in its group yet (log in again after being added)."
            ) from None
        raise CircleError(f"{_shown(path)} cannot be opened ({error.strerror}).") from None
    try:
        check_circle_stat(os.fstat(fd), path)
        yield fd
    finally:
        os.close(fd)


def check_circle(path: Path | str) -> None:
    """Raise :class:`CircleError` with the reason when ``path`` is no safe circle folder."""
    with open_circle(path):
        pass


def create_circle(path: Path | str, group: str) -> str:
    """Make a circle folder for ``group`` (mode 3770) with a README. Returns what to say."""
    path = Path(path)
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise CircleError(f"There is no group called {clean_text(group, limit=64)} on this server.") from None
    if os.geteuid() != 0 and not _in_group(gid):
        raise CircleError(f"You are not in the group {clean_text(group, limit=64)}, so you cannot make its circle.")
    closed = _closed_to_members(path.parent, gid)
    if closed is not None:
        raise CircleError(
            f"Members of {clean_text(group, limit=64)} could not reach {_shown(path)}: {_shown(closed)} lets only its owner "
            "pass through. Make the circle in a folder they can reach (one others may pass through, like /srv or /tmp), "
            "or open that folder to the group."
        )
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        raise CircleError(f"{_shown(path)} is already there. Pick a new folder for the circle.") from None
    except OSError as error:
        raise CircleError(f"{_shown(path)} cannot be made ({error.strerror}).") from None
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.fchown(fd, -1, gid)
        os.fchmod(fd, CIRCLE_MODE)
        _write_atomic(fd, "README", README.format(path=path).encode(), mode=0o640, gid=gid)
    finally:
        os.close(fd)
    return (
        f"Made the circle {_shown(path)} for the group {clean_text(group, limit=64)}. "
        f"Members join with: tend circle join {path}"
    )


def _closed_to_members(folder: Path, gid: int) -> Path | None:
    """The first folder on the way to ``folder`` (itself included) that members of group
    ``gid`` may not pass through, by its mode (others' x, or the group's when it is theirs);
    None when all may be passed, or where an ACL may say otherwise (then Tend cannot tell).
    A circle made behind such a folder (a private home, Tend's own data folder) told its
    members how to join, and each of them was refused."""
    real = Path(os.path.realpath(folder))
    for step in [*reversed(real.parents), real]:
        try:
            st = os.stat(step)
        except OSError:
            return None  # not there yet, or not ours to look at: mkdir says what is wrong
        passes = st.st_mode & stat.S_IXOTH or (st.st_gid == gid and st.st_mode & stat.S_IXGRP)
        if not passes and not _has_acl(step):
            return step
    return None


def _has_acl(folder: Path) -> bool:
    try:
        return "system.posix_acl_access" in os.listxattr(folder)
    except OSError:
        return False


def _write_atomic(dir_fd: int, name: str, data: bytes, *, mode: int = FILE_MODE, gid: int = -1, when: DateTime | None = None) -> None:
    """Write ``name`` in the folder ``dir_fd`` all at once (a temporary name, then a rename),
    dated ``when`` (its modification time, which readers take as the time it was sent)."""
    temp = f"{_TEMP_PREFIX}{secrets.token_hex(6)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dir_fd)
    try:
        try:
            os.fchmod(fd, mode)  # whatever the umask
            if gid != -1:
                os.fchown(fd, -1, gid)
            os.write(fd, data)
            if when is not None:
                os.utime(fd, (when.timestamp(), when.timestamp()))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=dir_fd)
        raise
    with contextlib.suppress(OSError):
        os.fsync(dir_fd)


# -- one's own folder -----------------------------------------------------------------------


@contextlib.contextmanager
def _own_folder(circle: Path | str, *, make: bool = False) -> Iterator[tuple[int, int]]:
    """(handle of my folder, the circle's gid). Raises :class:`CircleError`."""
    mine = me()
    with open_circle(circle) as circle_fd:
        gid = os.fstat(circle_fd).st_gid
        if make:
            with contextlib.suppress(FileExistsError):
                os.mkdir(mine, 0o700, dir_fd=circle_fd)
        try:
            fd = os.open(mine, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=circle_fd)
        except FileNotFoundError:
            raise CircleError(f"You have not joined the circle at {_shown(circle)} yet: tend circle join {circle}") from None
        except OSError as error:
            raise CircleError(f"Your folder in the circle cannot be opened ({error.strerror}).") from None
        try:
            st = os.fstat(fd)
            if st.st_uid != os.geteuid():
                raise CircleError(
                    f"The folder {mine} in the circle belongs to {user_name(st.st_uid)}, not to you. "
                    "Ask whoever set up the circle to look at it."
                )
            if stat.S_IMODE(st.st_mode) != MEMBER_MODE or st.st_gid != gid:
                os.fchown(fd, -1, gid)
                os.fchmod(fd, MEMBER_MODE)
            yield fd, gid
        finally:
            os.close(fd)


def join_circle(circle: Path | str) -> str:
    """Make (or find) my own folder in the circle. Returns what to say."""
    with _own_folder(circle, make=True):
        pass
    return f"You are in the circle at {_shown(circle)}. Nothing is shared until you turn it on: tend circle share status on"


def leave_circle(circle: Path | str) -> int:
    """Remove everything I wrote in the circle, my folder too. Returns how many files went."""
    removed = 0
    mine = me()
    with open_circle(circle) as circle_fd:
        try:
            fd = os.open(mine, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=circle_fd)
        except FileNotFoundError:
            return 0
        try:
            if os.fstat(fd).st_uid != os.geteuid():
                raise CircleError(f"The folder {mine} in the circle is not yours; nothing was removed.")
            for name in os.listdir(fd):
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=fd)
                    removed += 1
        finally:
            os.close(fd)
        try:
            os.rmdir(mine, dir_fd=circle_fd)
        except OSError:
            raise CircleError(
                f"Your messages are gone ({removed} files), but your folder {mine} still holds something Tend did not "
                "write; remove it by hand."
            ) from None
    return removed


def _new_name(kind: str, now: DateTime) -> str:
    return f"{kind}-{now.in_timezone('UTC').format('YYYYMMDD[T]HHmmss')}-{secrets.token_hex(4)}.json"


def _sent_today(fd: int, now: DateTime) -> int:
    day = now.in_timezone("UTC").format("YYYYMMDD")
    return sum(1 for name in os.listdir(fd) if (m := _NAME.match(name)) and m.group(2).startswith(day))


def _write_message(circle: Path | str, kind: str, body: dict[str, Any], now: DateTime | None = None) -> str:
    now = now or pendulum.now()
    with _own_folder(circle) as (fd, gid):
        if _sent_today(fd, now) >= MESSAGES_PER_DAY:
            raise CircleError(f"That is {MESSAGES_PER_DAY} messages today, the most a day. Tomorrow there is room again.")
        name = _new_name(kind, now)
        data = json.dumps({"v": 1, "kind": kind, **body}, ensure_ascii=False).encode()
        if len(data) > MESSAGE_BYTES:
            raise CircleError("That message is too long for the circle. A few lines are plenty.")
        _write_atomic(fd, name, data, gid=gid, when=now)
    return name.removesuffix(".json")


def _plain_name(member: str) -> bool:
    """True for a name that can only mean a folder right inside the circle."""
    return bool(member) and not member.startswith(".") and "/" not in member and "\0" not in member


def _member_exists(circle: Path | str, member: str) -> bool:
    if not _plain_name(member):
        return False
    with open_circle(circle) as circle_fd:
        try:
            st = os.stat(member, dir_fd=circle_fd, follow_symlinks=False)
        except (OSError, ValueError):
            return False
        return stat.S_ISDIR(st.st_mode) and user_name(st.st_uid) == member


def send_checkin(circle: Path | str, member: str, text: str, *, now: DateTime | None = None) -> str:
    """A check-in to ``member``; returns its id. Raises :class:`CircleError`."""
    text = clean_text(text, multiline=True, limit=MESSAGE_CHARS)
    if not text:
        raise CircleError("A check-in needs a few words.")
    member = clean_text(member, limit=64)
    if member == me():
        raise CircleError("That is you. A check-in goes to another member.")
    if not _member_exists(circle, member):
        raise CircleError(f"{member} is not in this circle (yet). tend circle inbox lists who is.")
    return _write_message(circle, "checkin", {"to": member, "text": text}, now)


def send_ask(circle: Path | str, text: str = "", to: Collection[str] = (), *, now: DateTime | None = None) -> str:
    """"Could use a debrief", to everyone (``to`` empty) or to chosen members; returns its id."""
    text = clean_text(text, multiline=True, limit=MESSAGE_CHARS) or "Could use a debrief."
    chosen = sorted({clean_text(name, limit=64) for name in to} - {""})
    return _write_message(circle, "ask", {"to": chosen, "text": text}, now)


def answer_ask(circle: Path | str, asker: str, ask_id: str, text: str = "", *, now: DateTime | None = None) -> str:
    """Take someone's ask ("I can"). Raises :class:`CircleError` when it is already taken."""
    view = read_circle(circle, now=now)
    ask = next((a for a in view.asks if a.sender == asker and a.id == ask_id), None)
    if ask is None:
        raise CircleError("That ask is no longer there.")
    if ask.taken_by:
        raise CircleError(f"{ask.taken_by} has already taken that one.")
    text = clean_text(text, multiline=True, limit=MESSAGE_CHARS) or "I can."
    return _write_message(circle, "answer", {"ask": f"{asker}/{ask_id}", "text": text}, now)


def set_status(circle: Path | str, text: str, until: DateTime | None = None, *, now: DateTime | None = None) -> DateTime:
    """Share a status that ends at ``until`` (the end of today when not given). Returns the end."""
    now = now or pendulum.now()
    text = clean_text(text, limit=MESSAGE_CHARS)
    if not text:
        raise CircleError("A status needs a few words, like 'free for a debrief'.")
    end = until or now.end_of("day")
    if end <= now:
        raise CircleError("That end time has already passed.")
    with _own_folder(circle) as (fd, gid):
        data = json.dumps({"v": 1, "kind": "status", "text": text, "until": end.isoformat()}, ensure_ascii=False).encode()
        _write_atomic(fd, STATUS_FILE, data, gid=gid)
    return end


def clear_status(circle: Path | str) -> bool:
    with _own_folder(circle) as (fd, _gid):
        try:
            os.unlink(STATUS_FILE, dir_fd=fd)
        except FileNotFoundError:
            return False
    return True


def delete_sent(circle: Path | str, message_id: str) -> bool:
    """Delete one of my messages by its id. True if it was there."""
    name = f"{message_id}.json"
    if not _NAME.match(name):
        return False
    with _own_folder(circle) as (fd, _gid):
        try:
            os.unlink(name, dir_fd=fd)
        except FileNotFoundError:
            return False
    return True


def prune_own(circle: Path | str, expiry_days: int = DEFAULT_EXPIRY_DAYS, *, now: DateTime | None = None) -> int:
    """Remove my messages older than ``expiry_days`` and a status that has ended."""
    now = now or pendulum.now()
    cutoff = now.subtract(days=expiry_days).timestamp()
    removed = 0
    with _own_folder(circle) as (fd, _gid):
        for name in os.listdir(fd):
            with contextlib.suppress(OSError):
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if (_NAME.match(name) and st.st_mtime < cutoff) or name.startswith(_TEMP_PREFIX):
                    os.unlink(name, dir_fd=fd)
                    removed += 1
                elif name == STATUS_FILE:
                    status = _read_file(fd, name, os.geteuid(), [])
                    if status is None or _until(status) is None or _until(status) <= now:  # type: ignore[operator]  # None checked first
                        os.unlink(name, dir_fd=fd)
                        removed += 1
    return removed


# -- reading the circle -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """A check-in, ask or answer; ``sender`` is the file's owner as the kernel says."""

    kind: str
    sender: str
    id: str
    when: DateTime
    text: str
    to: tuple[str, ...] = ()
    ask: str = ""
    """For an answer: ``"asker/ask-id"``."""

    @property
    def key(self) -> str:
        """Names this message across the circle: ``sender/id``."""
        return f"{self.sender}/{self.id}"


@dataclass(frozen=True, slots=True)
class Ask:
    sender: str
    id: str
    when: DateTime
    text: str
    to: tuple[str, ...]
    taken_by: str = ""
    answer: str = ""

    @property
    def key(self) -> str:
        return f"{self.sender}/{self.id}"


@dataclass(frozen=True, slots=True)
class Status:
    member: str
    text: str
    until: DateTime


@dataclass
class CircleView:
    """What the circle holds for me now."""

    me: str
    members: list[str] = field(default_factory=list)
    checkins: list[Message] = field(default_factory=list)
    """Check-ins to me, oldest first."""
    asks: list[Ask] = field(default_factory=list)
    """Open asks to me (or to everyone), and my own asks, oldest first."""
    statuses: dict[str, Status] = field(default_factory=dict)
    sent: list[Message] = field(default_factory=list)
    """What I sent and is still there."""
    problems: list[str] = field(default_factory=list)
    """Files that were skipped, each named with why."""

    def waiting(self, seen: Collection[str] = ()) -> list[Message | Ask]:
        """Check-ins and open asks to me that I have not marked seen, newest first."""
        items: list[Message | Ask] = [m for m in self.checkins if m.key not in seen]
        items += [a for a in self.asks if a.sender != self.me and not a.taken_by and a.key not in seen]
        return sorted(items, key=lambda item: (item.when, item.key), reverse=True)


def _until(doc: dict[str, Any]) -> DateTime | None:
    try:
        value = pendulum.parse(str(doc.get("until", "")))
    except (ValueError, TypeError, OverflowError):
        return None
    return value if isinstance(value, DateTime) else None


def _read_file(folder_fd: int, name: str, owner: int, problems: list[str], who: str = "") -> dict[str, Any] | None:
    """The JSON object in ``name`` (in the folder ``folder_fd``), or None (with the reason
    added to ``problems``). Never follows a link, never blocks, never reads much."""
    shown = f"{who}/{visible_controls(name, limit=80)}" if who else visible_controls(name, limit=80)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0), dir_fd=folder_fd)
    except OSError as error:
        reason = "is a link" if error.errno == errno.ELOOP else f"cannot be opened ({error.strerror})"
        problems.append(f"{shown} {reason}; skipped.")
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problems.append(f"{shown} is not an ordinary file; skipped.")
            return None
        if st.st_uid != owner:
            problems.append(f"{shown} belongs to {user_name(st.st_uid)}, not to {who or 'its folder'}; skipped.")
            return None
        if st.st_size > MESSAGE_BYTES:
            problems.append(f"{shown} is too big ({st.st_size:,} bytes); skipped.")
            return None
        data = os.read(fd, MESSAGE_BYTES + 1)
    except OSError as error:
        problems.append(f"{shown} cannot be read ({error.strerror}); skipped.")
        return None
    finally:
        os.close(fd)
    if len(data) > MESSAGE_BYTES:
        problems.append(f"{shown} is too big; skipped.")
        return None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        problems.append(f"{shown} is not a message Tend can read; skipped.")
        return None
    if not isinstance(doc, dict):
        problems.append(f"{shown} is not a message Tend can read; skipped.")
        return None
    doc["_mtime"] = st.st_mtime
    return doc


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(name for name in (clean_text(v, limit=64) for v in value[:MAX_MEMBERS] if isinstance(v, str)) if name)


def _read_member(circle_fd: int, name: str, view: CircleView, cutoff: float, now: DateTime) -> list[Message]:
    """A member's messages (their status goes in ``view``); problems are noted, never raised."""
    shown = visible_controls(name, limit=80)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=circle_fd)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            st = None
            with contextlib.suppress(OSError):
                st = os.stat(name, dir_fd=circle_fd, follow_symlinks=False)
            if st is not None and stat.S_ISREG(st.st_mode) and name == "README":
                return []
            view.problems.append(f"{shown} in the circle is not a member's folder; skipped.")
        else:
            view.problems.append(f"The folder {shown} cannot be read ({error.strerror}); skipped.")
        return []
    messages: list[Message] = []
    try:
        st = os.fstat(fd)
        owner = user_name(st.st_uid)
        if owner != name:
            view.problems.append(f"The folder {shown} belongs to {owner}, so it was skipped.")
            return []
        view.members.append(owner)
        entries = _first_names(fd, FOLDER_ENTRIES + 1)
        if len(entries) > FOLDER_ENTRIES:
            view.problems.append(f"{owner}'s folder holds too many files; only {FOLDER_ENTRIES:,} were looked at.")
            entries = entries[:FOLDER_ENTRIES]
        read = 0
        per_day: dict[str, int] = {}
        for entry_name in sorted(entries, reverse=True):  # newest first
            if entry_name.startswith(_TEMP_PREFIX):
                continue
            matched = _NAME.match(entry_name)
            if entry_name != STATUS_FILE and matched is None:
                view.problems.append(f"{owner}/{visible_controls(entry_name, limit=80)} is not a circle message; skipped.")
                continue
            if read >= FOLDER_BYTES:
                view.problems.append(f"{owner}'s folder holds more than Tend reads; the oldest files were skipped.")
                break
            if matched is not None:
                day = matched.group(2)[:8]
                per_day[day] = per_day.get(day, 0) + 1
                if per_day[day] > MESSAGES_PER_DAY:
                    continue
            doc = _read_file(fd, entry_name, st.st_uid, view.problems, owner)
            if doc is None:
                continue
            read += MESSAGE_BYTES
            mtime = float(doc["_mtime"])
            if entry_name == STATUS_FILE:
                until = _until(doc)
                text = clean_text(doc.get("text"), limit=MESSAGE_CHARS)
                if until is not None and until > now and text:
                    view.statuses[owner] = Status(owner, text, until)
                continue
            if mtime < cutoff:
                continue
            if mtime > now.timestamp() + FUTURE_SLACK:
                view.problems.append(f"{owner}/{entry_name} is dated in the future; skipped.")
                continue
            assert matched is not None
            kind = matched.group(1)
            text = clean_text(doc.get("text"), multiline=True, limit=MESSAGE_CHARS)
            messages.append(
                Message(
                    kind=kind,
                    sender=owner,
                    id=entry_name.removesuffix(".json"),
                    when=pendulum.from_timestamp(mtime, tz=now.timezone_name or "UTC"),
                    text=text,
                    to=_names(doc.get("to")),
                    ask=clean_text(doc.get("ask"), limit=200),
                )
            )
    except OSError as error:
        view.problems.append(f"The folder {shown} cannot be read ({error.strerror}); skipped.")
    finally:
        os.close(fd)
    return messages


def _first_names(folder_fd: int, most: int) -> list[str]:
    """At most ``most`` names in a folder (in the order the file system gives them)."""
    names: list[str] = []
    with os.scandir(folder_fd) as entries:
        for entry in entries:
            if len(names) >= most:
                break
            names.append(entry.name)
    return names


def read_circle(
    circle: Path | str, *, expiry_days: int = DEFAULT_EXPIRY_DAYS, now: DateTime | None = None, who: str | None = None
) -> CircleView:
    """Everything in the circle for me. Raises :class:`CircleError` only for an unsafe
    circle folder; a member's broken or hostile file is named in ``problems`` and skipped."""
    now = now or pendulum.now()
    view = CircleView(me=who or me())
    cutoff = now.subtract(days=expiry_days).timestamp()
    everything: list[Message] = []
    with open_circle(circle) as circle_fd:
        names = _first_names(circle_fd, MAX_MEMBERS + 1)
        if len(names) > MAX_MEMBERS:
            view.problems.append(f"The circle holds more than {MAX_MEMBERS} folders; the rest were skipped.")
        for name in sorted(names)[:MAX_MEMBERS]:
            if name.startswith("."):
                continue
            everything += _read_member(circle_fd, name, view, cutoff, now)
    answers: dict[str, Message] = {}
    for message in sorted(everything, key=lambda m: (m.when, m.key)):
        if message.kind == "answer" and message.ask and message.ask not in answers:
            answers[message.ask] = message
    for message in sorted(everything, key=lambda m: (m.when, m.key)):
        if message.sender == view.me and message.kind != "answer":
            view.sent.append(message)
        if message.kind == "checkin" and view.me in message.to and message.sender != view.me:
            view.checkins.append(message)
        elif message.kind == "ask" and (message.sender == view.me or not message.to or view.me in message.to):
            taken = answers.get(message.key)
            view.asks.append(
                Ask(
                    message.sender, message.id, message.when, message.text, message.to,
                    taken_by=taken.sender if taken else "", answer=taken.text if taken else "",
                )
            )  # fmt: skip
    return view


def signature(circle: Path | str) -> tuple[tuple[str, int], ...]:
    """What changes when anyone writes in the circle: each folder's modification time.
    Cheap (one ``stat`` per member), for polling while Tend is open. Empty when unreadable."""
    marks: list[tuple[str, int]] = []
    try:
        with open_circle(circle) as circle_fd:
            marks.append((".", os.fstat(circle_fd).st_mtime_ns))
            for name in sorted(_first_names(circle_fd, MAX_MEMBERS)):
                with contextlib.suppress(OSError):
                    marks.append((name, os.stat(name, dir_fd=circle_fd, follow_symlinks=False).st_mtime_ns))
    except (CircleError, OSError):
        return ()
    return tuple(marks)


def waiting_count(circle: Path | str | None, seen: Collection[str] = (), *, expiry_days: int = DEFAULT_EXPIRY_DAYS) -> int:
    """How many check-ins and asks wait for me (0 with no circle or an unsafe one). No
    Textual, no store: ``tend status`` passes ``settings.circle_dir`` and ``settings.circle_seen``."""
    if not circle:
        return 0
    try:
        return len(read_circle(circle, expiry_days=expiry_days).waiting(seen))
    except (CircleError, OSError):
        return 0


def waiting_for(store: Store) -> int:
    """:func:`waiting_count` for the circle this store's person joined."""
    settings = store.settings()
    return waiting_count(settings.circle_dir, settings.circle_seen, expiry_days=settings.circle_expiry_days)


# -- the store side ---------------------------------------------------------------------------


def linked_colleague(colleagues: Collection[Colleague], member: str) -> Colleague | None:
    """The colleague linked to the circle member ``member`` (by user name), if any."""
    return next((c for c in colleagues if c.circle_user and c.circle_user == member), None)


def after_checkin_sent(store: Store, colleague: Colleague | None, note: str = "circle check-in") -> None:
    """What sending a check-in to a linked colleague means here, as on the colleagues screen:
    a message logged with them and their linked "message" rituals ticked for today, in one
    save (both or neither)."""
    from app.models import Contact
    from app.rituals import tick_linked_rituals

    if colleague is None or colleague.id is None:
        return
    now = pendulum.now()
    with store.transaction():
        store.add(Contact(colleague_id=colleague.id, when=now, kind="message", note=note))
        tick_linked_rituals(store, colleague.id, "message", now.date())


def mark_seen(store: Store, keys: Collection[str], view: CircleView | None = None) -> None:
    """Remember ``keys`` as seen; with ``view``, forget seen keys no longer in the circle."""
    settings = store.settings()
    seen = set(settings.circle_seen) | set(keys)
    if view is not None:
        present = {m.key for m in view.checkins} | {a.key for a in view.asks}
        seen &= present
    store.update_settings(circle_seen=sorted(seen))


def free_now(status: Status | None, now: DateTime | None = None) -> str:
    """A colleague card's line for a member's shared status ("" when they share none)."""
    now = now or pendulum.now()
    if status is None or status.until <= now:
        return ""
    return f"{status.text} (until {status.until.in_timezone(now.timezone or 'UTC').format('HH:mm')})"


def member_status(circle: Path | str, member: str, *, now: DateTime | None = None) -> Status | None:
    """``member``'s shared status if it has not ended (None: none, or the circle is unsafe)."""
    now = now or pendulum.now()
    problems: list[str] = []
    if not _plain_name(member):
        return None
    try:
        with open_circle(circle) as circle_fd:
            try:
                fd = os.open(member, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=circle_fd)
            except (OSError, ValueError):
                return None
            try:
                st = os.fstat(fd)
                if user_name(st.st_uid) != member:
                    return None
                doc = _read_file(fd, STATUS_FILE, st.st_uid, problems, member)
            finally:
                os.close(fd)
    except (CircleError, OSError):
        return None
    if doc is None:
        return None
    until, text = _until(doc), clean_text(doc.get("text"), limit=MESSAGE_CHARS)
    return Status(member, text, until) if until is not None and until > now and text else None


def card_line(store: Store, colleague: Colleague, *, now: DateTime | None = None) -> str:
    """What a colleague's card says of them in the circle: their status while it lasts
    ("" when they are not linked, share no status, or there is no circle)."""
    circle = store.settings().circle_dir
    if not circle or not colleague.circle_user:
        return ""
    return free_now(member_status(circle, colleague.circle_user, now=now), now)


# -- for the screens ----------------------------------------------------------------------------


def member_problem(circle: Path | str | None, member: str) -> str:
    """Why ``member`` cannot be linked to a colleague ("" when they can, or when ``member`` is
    empty): a user name on this server whose own folder is in the circle ``circle``."""
    member = clean_text(member, limit=64)
    if not member:
        return ""
    if not circle:
        return "Join a circle first (tend circle join DIR); then a colleague can be linked."
    try:
        pwd.getpwnam(member)
    except KeyError:
        return f"There is no user called {member} on this server."
    try:
        joined = _member_exists(circle, member)
    except CircleError as error:
        return str(error)
    if not joined:
        return f"{member} has not joined the circle yet (there is no folder of theirs in it)."
    return ""


def read_status_words(typed: str, now: DateTime | None = None) -> tuple[str, DateTime | None]:
    """A status as typed in one line, "free for a debrief until 12:30", as (its words, its end).
    What follows the last " until " is read as ``tend circle status --until`` reads it (12:30,
    45m); without one the end is None (the end of today). Raises :class:`CircleError`."""
    from app.breaks import UntilError, parse_until

    text = clean_text(typed, limit=MESSAGE_CHARS)
    found = [m for m in re.finditer(r"(?:^|\s)until\s+", text, re.IGNORECASE)]
    if not found:
        if not text:
            raise CircleError("A status needs a few words, like 'free for a debrief'.")
        return text, None
    words, when = text[: found[-1].start()], text[found[-1].end() :]
    if not words.strip():
        raise CircleError("A status needs a few words before 'until', like 'free for a debrief until 12:30'.")
    try:
        return words.strip(), parse_until(when, now)
    except UntilError as error:
        raise CircleError(str(error)) from None
