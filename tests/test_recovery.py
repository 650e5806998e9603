"""Recovery that never makes things worse: a full disk mid-restore, damaged backups, hard
links, read-only folders and odd files where Tend's files belong (issue 21, round two)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.storage as storage_module
from app.cli import main
from app.doctor import run_doctor
from app.models import Colleague
from app.storage import RecoveryError, Store, UnsafePathError

TERMINAL = {"TERM": "xterm-256color"}
BROKEN = b'{"_meta": {"1": {"schema": 1'
NOBODY = 65534


def _folder_with_colleagues(folder: Path, count: int = 92) -> Store:
    """A folder holding ``count`` colleagues, welcomed, with a good backup of all of them."""
    store = Store.open(folder)
    with store.transaction():
        for n in range(count):
            store.add(Colleague(name=f"Colleague {n}"))
    store.update_settings(welcomed=True)
    Store.open(folder)  # a good start: the backup now holds everyone
    return store


def _colleagues_in(path: Path) -> int:
    """Colleagues in a data file, a backup or an export."""
    document = json.loads(path.read_bytes())
    return len(document.get("data", document).get("colleagues", {}))


@contextlib.contextmanager
def _full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every write of file content fails as on a full disk (renames still work, as they do)."""

    def no_room(fd: int, data: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(storage_module, "_write_all", no_room)
        yield


# --------------------------------------------------------------------------- 1. a full disk


def test_a_restore_that_fails_says_the_truth_and_the_next_start_restores(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _folder_with_colleagues(data_dir)
    good_backup = (data_dir / "tend.json.bak").read_bytes()
    (data_dir / "tend.json").write_bytes(BROKEN)
    out = tmp_path / "out.json"
    with _full_disk(monkeypatch):
        code = main(["export", "--data", str(data_dir), "--out", str(out)])
    message = capsys.readouterr().err
    assert code == 1
    assert "Everything saved before is safe" not in message  # it was not: the file was damaged
    assert "disk is full" in message and str(data_dir / "tend.json.bak") in message
    assert "start Tend again" in message
    assert not (data_dir / "tend.json").exists()  # no empty database in its place
    assert (data_dir / "tend.json.bak").read_bytes() == good_backup
    [kept] = data_dir.glob("tend.json.damaged-*")
    assert kept.read_bytes() == BROKEN

    # Room again: the next start is not a first run; it brings the backup back and says so.
    code = main(["export", "--data", str(data_dir), "--out", str(out)])
    said = capsys.readouterr()
    assert code == 0
    assert "was missing" in said.err and "restored" in said.err
    assert _colleagues_in(out) == 92
    assert _colleagues_in(data_dir / "tend.json") == 92
    assert _colleagues_in(data_dir / "tend.json.bak") == 92


def test_no_data_file_but_a_backup_is_never_a_first_run(data_dir: Path) -> None:
    _folder_with_colleagues(data_dir, 5)
    (data_dir / "tend.json").unlink()
    store = Store.open(data_dir)
    assert not store.first_run and store.recovered
    assert len(store.all(Colleague)) == 5
    assert "was missing" in store.notices[0] and "restored" in store.notices[0]
    assert _colleagues_in(data_dir / "tend.json.bak") == 5


async def test_a_restored_start_shows_the_notice_and_no_welcome(data_dir: Path) -> None:
    from app.tui import TendApp
    from screens.dialogs import NoticeDialog
    from screens.welcome import WelcomeScreen

    Store.open(data_dir).add(Colleague(name="Ann"))  # never welcomed: a fresh start would welcome
    Store.open(data_dir)
    (data_dir / "tend.json").unlink()
    app = TendApp(Store.open(data_dir, defer_backup=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)


def test_a_backup_is_not_overwritten_while_the_disk_is_still_full(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _folder_with_colleagues(data_dir, 3)
    good_backup = (data_dir / "tend.json.bak").read_bytes()
    (data_dir / "tend.json").unlink()
    with _full_disk(monkeypatch), pytest.raises(RecoveryError) as raised:
        Store.open(data_dir)
    assert "disk is full" in str(raised.value) and "safe at" in str(raised.value)
    assert not (data_dir / "tend.json").exists()
    assert (data_dir / "tend.json.bak").read_bytes() == good_backup


def test_a_backup_holding_more_is_kept_aside_not_overwritten(data_dir: Path) -> None:
    _folder_with_colleagues(data_dir, 3)
    fresh = json.loads((data_dir / "tend.json").read_bytes())
    fresh["colleagues"] = {"1": fresh["colleagues"]["1"]}  # two gone, and nobody removed them in Tend
    (data_dir / "tend.json").write_bytes(json.dumps(fresh).encode())
    again = Store.open(data_dir)  # a good start refreshes the backup with one colleague
    [kept] = data_dir.glob("tend.json.bak-*")
    assert _colleagues_in(kept) == 3
    assert _colleagues_in(data_dir / "tend.json.bak") == 1
    assert str(kept) in again.backup_remarks[0] and "2 entries fewer than its backup copy did" in again.backup_remarks[0]
    Store.open(data_dir)  # equal now: nothing more kept aside
    assert len(list(data_dir.glob("tend.json.bak-*"))) == 1


def test_records_removed_in_tend_are_no_alarm_and_leave_no_copy_behind(data_dir: Path) -> None:
    store = _folder_with_colleagues(data_dir, 3)
    first, *others = store.all(Colleague)
    for colleague in others:
        store.remove(Colleague, colleague.id)  # type: ignore[arg-type]
    store.restore(others[0])  # one deletion undone: put back
    store.remove(Colleague, others[0].id)  # type: ignore[arg-type]  # and removed again
    from app.storage import removed_count

    assert removed_count(json.loads((data_dir / "tend.json").read_bytes())) == 2  # 3 removals, 1 put back
    again = Store.open(data_dir)
    assert again.backup_remarks == [] and list(data_dir.glob("tend.json.bak-*")) == []
    assert _colleagues_in(data_dir / "tend.json.bak") == 1
    # ...but one that went missing besides them still is.
    fresh = json.loads((data_dir / "tend.json").read_bytes())
    fresh["colleagues"] = {}
    (data_dir / "tend.json").write_bytes(json.dumps(fresh).encode())
    third = Store.open(data_dir)
    assert "1 entry fewer than its backup copy did" in third.backup_remarks[0]
    assert _colleagues_in(next(data_dir.glob("tend.json.bak-*"))) == 1


def test_a_deferred_backup_holding_more_is_kept_aside_too(data_dir: Path) -> None:
    _folder_with_colleagues(data_dir, 4)
    fresh = json.loads((data_dir / "tend.json").read_bytes())
    fresh["colleagues"] = {"1": fresh["colleagues"]["1"]}
    (data_dir / "tend.json").write_bytes(json.dumps(fresh).encode())
    store = Store.open(data_dir, defer_backup=True)
    store.write_backup()
    [kept] = data_dir.glob("tend.json.bak-*")
    assert _colleagues_in(kept) == 4
    assert _colleagues_in(data_dir / "tend.json.bak") == 1


def test_a_full_disk_at_a_good_start_still_lets_export_work(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _folder_with_colleagues(data_dir, 2)
    real = storage_module.atomic_write

    def backup_fails(target: Path, data: object, **kwargs: object) -> None:
        if target.name == "tend.json.bak":
            raise storage_module.SaveError("Tend could not save just now: the disk is full.")
        real(target, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage_module, "atomic_write", backup_fails)
    out = tmp_path / "out.json"
    assert main(["export", "--data", str(data_dir), "--out", str(out)]) == 0
    assert "backup copy of your data could not be refreshed" in capsys.readouterr().err
    assert _colleagues_in(out) == 2


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def _tmpfs(size: str) -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(prefix="tend-tmpfs-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if done.returncode:
        where.rmdir()
        pytest.skip(f"could not mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)
        where.rmdir()


def _tend(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=60, **kwargs)  # type: ignore[call-overload]


@pytest.mark.skipif(not _can_mount(), reason="mounting a small tmpfs needs root (CI runs as root)")
def test_the_issue_scenario_on_a_real_full_disk(tmp_path: Path) -> None:
    with _tmpfs("128k") as disk:  # room for the data and its backup, then filled
        folder = disk / "d"
        _folder_with_colleagues(folder)
        good_backup = (folder / "tend.json.bak").read_bytes()
        (folder / "tend.json").write_bytes(BROKEN)
        filler = disk / "filler"
        with contextlib.suppress(OSError), open(filler, "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        out = tmp_path / "out.json"
        first = _tend("export", "--data", str(folder), "--out", str(out))
        assert first.returncode == 1
        assert "Everything saved before is safe" not in first.stderr and "disk is full" in first.stderr
        filler.unlink()
        second = _tend("export", "--data", str(folder), "--out", str(out))
        assert second.returncode == 0, second.stderr
        assert "restored" in second.stderr
        assert _colleagues_in(out) == 92
        assert (folder / "tend.json.bak").read_bytes() == good_backup


# --------------------------------------------------------------------------- 4. both damaged


def test_a_damaged_file_and_a_damaged_backup_are_both_kept_aside(data_dir: Path) -> None:
    _folder_with_colleagues(data_dir, 2)
    (data_dir / "tend.json").write_bytes(b"{damaged")
    (data_dir / "tend.json.bak").write_bytes(b"{damaged backup")
    store = Store.open(data_dir)
    [kept] = data_dir.glob("tend.json.damaged-*")
    [kept_backup] = data_dir.glob("tend.json.bak.damaged-*")
    assert kept.read_bytes() == b"{damaged"
    assert kept_backup.read_bytes() == b"{damaged backup"
    notice = store.notices[0]
    assert "no backup" not in notice
    assert "backup could not be read either" in notice and str(kept_backup) in notice
    assert store.all(Colleague) == []
    assert store.recovered


def test_a_damaged_backup_is_kept_aside_at_a_good_start(data_dir: Path) -> None:
    _folder_with_colleagues(data_dir, 2)
    (data_dir / "tend.json.bak").write_bytes(b"{damaged backup")
    store = Store.open(data_dir)
    [kept_backup] = data_dir.glob("tend.json.bak.damaged-*")
    assert kept_backup.read_bytes() == b"{damaged backup"
    assert _colleagues_in(data_dir / "tend.json.bak") == 2
    assert str(kept_backup) in store.backup_remarks[0]


def test_an_older_good_copy_kept_aside_is_restored_when_the_backup_is_damaged(data_dir: Path) -> None:
    _folder_with_colleagues(data_dir, 3)
    fresh = json.loads((data_dir / "tend.json").read_bytes())
    del fresh["colleagues"]["1"]  # gone, and not removed in Tend
    (data_dir / "tend.json").write_bytes(json.dumps(fresh).encode())
    Store.open(data_dir)  # the 3-colleague backup is kept aside as tend.json.bak-<time>
    (data_dir / "tend.json").write_bytes(b"{damaged")
    (data_dir / "tend.json.bak").write_bytes(b"{damaged backup")
    again = Store.open(data_dir)
    assert len(again.all(Colleague)) == 3
    assert "tend.json.bak-" in again.notices[0]


# --------------------------------------------------------------------------- 17. hard links


@pytest.mark.parametrize("name", ["tend.json", "tend.json.bak", "tend.lock"])
def test_a_hard_linked_file_is_refused_and_the_other_file_untouched(data_dir: Path, tmp_path: Path, name: str, capsys) -> None:  # type: ignore[no-untyped-def]
    Store.open(data_dir)
    Store.open(data_dir)
    victim = tmp_path / "victim.txt"
    victim.write_bytes((data_dir / name).read_bytes())
    victim.chmod(0o644)
    (data_dir / name).unlink()
    os.link(victim, data_dir / name)
    before = victim.read_bytes()
    with pytest.raises(UnsafePathError, match="hard link"):
        Store.open(data_dir)
    assert main(["export", "--data", str(data_dir), "--out", str(tmp_path / "out.json")]) == 1
    assert "hard link" in capsys.readouterr().err
    assert victim.stat().st_mode & 0o777 == 0o644
    assert victim.read_bytes() == before


def test_doctor_names_a_hard_link_and_fix_gives_tend_its_own_copy(data_dir: Path, tmp_path: Path) -> None:
    Store.open(data_dir).add(Colleague(name="Ann"))
    victim = tmp_path / "victim.txt"
    os.link(data_dir / "tend.json", victim)
    os.chmod(victim, 0o644)
    report, code = run_doctor(data_dir, environ=TERMINAL)
    assert code == 1 and "hard link" in report
    report, code = run_doctor(data_dir, fix=True, environ=TERMINAL)
    assert code == 0, report
    assert victim.stat().st_mode & 0o777 == 0o644  # never chmodded through the link
    assert os.stat(data_dir / "tend.json").st_nlink == 1
    assert [c.name for c in Store.open(data_dir).all(Colleague)] == ["Ann"]


# --------------------------------------------------------------------------- 19. read-only


def _run_unprivileged(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``tend ARGS`` as an ordinary user who owns ``folder``, chmodded 0500 (read-only to
    them). As root (CI), the folder is handed to ``nobody`` and the command runs as them,
    since root may write to any folder."""
    env = {**os.environ, "HOME": str(folder.parent), "TERM": "xterm-256color"}
    if os.geteuid() != 0:
        return _tend(*args, env=env)
    # The interpreter may live where nobody can read it (/root/.pyenv): start as root, load
    # what the command needs, then become nobody before it runs.
    return subprocess.run(
        [sys.executable, "-c", AS_NOBODY, *args], capture_output=True, text=True, timeout=60, env=env, cwd=str(folder.parent)
    )


AS_NOBODY = f"""
import os, sys
import app.cli, app.doctor, app.exchange, app.vcard, app.storage, app.paths, app.models, app.config, app.sessions, tomllib
import encodings.utf_8_sig, importlib.readers, pendulum
app.paths.default_data_dir()
pendulum.now().subtract(hours=1).diff_for_humans(); pendulum.local_timezone()
os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY})
sys.exit(app.cli.main(sys.argv[1:]))
"""


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A data folder with two colleagues, owned by the user the command runs as, chmod 0500;
    beside it, a folder they may write exports to."""
    top = Path(tempfile.mkdtemp(prefix="tend-ro-"))
    folder = top / "d"
    _folder_with_colleagues(folder, 2)
    (top / "out").mkdir()
    if os.geteuid() == 0:
        for path in [top, *top.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
    os.chmod(top, 0o755)
    os.chmod(folder, 0o500)
    try:
        yield folder
    finally:
        os.chmod(folder, 0o700)
        shutil.rmtree(top)


def test_a_read_only_folder_still_exports_and_says_why(read_only_folder: Path) -> None:
    out = read_only_folder.parent / "out" / "export.json"
    done = _run_unprivileged(read_only_folder, "export", "--data", str(read_only_folder), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "read-only" in done.stderr and "Traceback" not in done.stderr
    assert _colleagues_in(out) == 2
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["tend.json", "tend.json.bak", "tend.lock"]


def test_a_change_in_a_read_only_folder_is_refused_plainly(read_only_folder: Path, tmp_path: Path) -> None:
    book = read_only_folder.parent / "out" / "book.vcf"
    book.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n")
    if os.geteuid() == 0:
        os.chown(book, NOBODY, NOBODY)
    done = _run_unprivileged(read_only_folder, "import", str(book), "--data", str(read_only_folder))
    assert done.returncode == 1
    assert "can't save in its data folder" in done.stderr and "Traceback" not in done.stderr


def test_doctor_names_a_read_only_folder(read_only_folder: Path) -> None:
    done = _run_unprivileged(read_only_folder, "doctor", "--data", str(read_only_folder))
    assert done.returncode == 1
    assert "Nothing can be saved in the folder" in done.stdout
    assert "All is well" not in done.stdout


@pytest.mark.skipif(not _can_mount(), reason="a read-only bind mount needs root (CI runs as root)")
def test_a_read_only_mount_still_exports(tmp_path: Path) -> None:
    source = tmp_path / "d"
    _folder_with_colleagues(source, 2)
    where = tmp_path / "ro"
    where.mkdir()
    if subprocess.run(["mount", "--bind", str(source), str(where)], capture_output=True).returncode:
        pytest.skip("bind mounts are not allowed here")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], capture_output=True).returncode:
            pytest.skip("read-only remounts are not allowed here")
        out = tmp_path / "out.json"
        done = _tend("export", "--data", str(where), "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert "read-only disk" in done.stderr
        assert _colleagues_in(out) == 2
        report = _tend("doctor", "--data", str(where), env={**os.environ, "TERM": "xterm-256color"})
        assert report.returncode == 1 and "read-only disk" in report.stdout
    finally:
        subprocess.run(["umount", str(where)], check=False)


async def test_the_app_opens_a_read_only_folder_with_a_clear_notice(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.tui import TendApp
    from screens.dialogs import NoticeDialog

    _folder_with_colleagues(data_dir, 2)
    monkeypatch.setattr(storage_module, "folder_unwritable", lambda path: "it is on a read-only disk")
    store = Store.open(data_dir, defer_backup=True)
    assert store.read_only and len(store.all(Colleague)) == 2
    app = TendApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        assert "read-only" in str(app.screen.message.plain)
        assert app.sub_title == "read-only"


def test_a_damaged_file_in_a_read_only_folder_shows_the_backup(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _folder_with_colleagues(data_dir, 2)
    (data_dir / "tend.json").write_bytes(BROKEN)
    monkeypatch.setattr(storage_module, "folder_unwritable", lambda path: "it is on a read-only disk")
    store = Store.open(data_dir)
    assert store.read_only and len(store.all(Colleague)) == 2
    assert "showing your copy" in store.notices[0]
    assert (data_dir / "tend.json").read_bytes() == BROKEN  # nothing moved, nothing written


# --------------------------------------------------------------------------- 20. a folder for a lock


def test_a_folder_where_the_lock_belongs_is_named_and_fixed(data_dir: Path) -> None:
    Store.open(data_dir)
    (data_dir / "tend.lock").unlink()
    (data_dir / "tend.lock").mkdir()
    with pytest.raises(UnsafePathError, match="is a folder"):
        Store.open(data_dir)
    report, code = run_doctor(data_dir, environ=TERMINAL)
    [line] = [line for line in report.splitlines() if "tend.lock" in line]
    assert code == 1 and "is a folder, not a file" in line and "others may read" not in line
    report, code = run_doctor(data_dir, fix=True, environ=TERMINAL)
    assert code == 0, report
    assert not (data_dir / "tend.lock").exists()
    Store.open(data_dir)  # starts again


def test_fix_leaves_a_lock_folder_with_something_in_it_and_says_so(data_dir: Path) -> None:
    Store.open(data_dir)
    (data_dir / "tend.lock").unlink()
    (data_dir / "tend.lock").mkdir()
    (data_dir / "tend.lock" / "keep.txt").write_text("mine")
    report, code = run_doctor(data_dir, fix=True, environ=TERMINAL)
    assert code == 1 and "Move it away" in report
    assert (data_dir / "tend.lock" / "keep.txt").read_text() == "mine"
