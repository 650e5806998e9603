"""Issue 21, round two: the files `tend import` reads and `tend export` writes.

Only ordinary files are read (never a device or a pipe), and never more than a hard cap;
what Tend exports, it imports; an export never replaces a device, a pipe or a folder;
UTF-16/32 address books and JSON with a byte order mark are read.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from app import exchange, files, vcard
from app.cli import main
from app.exchange import ExchangeError, read_user_file
from app.models import Colleague, Contact
from app.storage import Store, atomic_write
from app.vcard import VcardError, read_vcard_file

ROOT = Path(__file__).resolve().parents[1]

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José Ortiz\r\nTEL:+34 600 123 456\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:李小龍\r\nEMAIL:lee@example.org\r\nEND:VCARD\r\n"
)


def run_tend(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`tend ...` in a child limited to 1.5 GB of address space, so a file read without end
    fails there (MemoryError) instead of filling this machine's memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True, text=True, timeout=timeout, preexec_fn=limit, env=env,
    )  # fmt: skip


# --------------------------------------------------------------------------- 13: devices, pipes


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("via", ["itself", "a link named .vcf", "a link named .json"])
def test_import_of_a_device_is_refused_without_reading_it(tmp_path: Path, device: str, via: str) -> None:
    source = Path(device)
    if via != "itself":
        source = tmp_path / ("book.vcf" if "vcf" in via else "export.json")
        source.symlink_to(device)
    result = run_tend("--data", str(tmp_path / "d"), "import", str(source))
    assert result.returncode == 1, result.stderr[-500:]
    assert "is a device, not a file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["pipe.vcf", "pipe.json", "pipe"])
def test_import_of_a_pipe_never_waits(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    result = run_tend("--data", str(tmp_path / "d"), "import", str(fifo), timeout=30)
    assert result.returncode == 1
    assert "is a pipe, not a file" in result.stderr


def test_a_file_that_says_it_is_empty_is_still_read_only_up_to_the_cap() -> None:
    """/proc files are ordinary files of size 0 that hold plenty: the cap holds anyway."""
    with pytest.raises(ExchangeError, match="too big"):
        read_user_file(Path("/proc/self/status"), limit=16, too_big="too big")
    assert read_user_file(Path("/proc/self/status"), limit=1_000_000, too_big="too big").startswith(b"Name:")


# --------------------------------------------------------------------------- 21: encodings


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_address_books_in_utf16_and_utf32_are_read(tmp_path: Path, encoding: str, bom: bytes) -> None:
    book = tmp_path / "book.vcf"
    book.write_bytes(bom + CARDS.encode(encoding))
    assert [p.name for p in read_vcard_file(book).people] == ["José Ortiz", "李小龍"]


def test_a_utf16_address_book_imports_from_the_command_line(tmp_path: Path) -> None:
    book = tmp_path / "contacts"  # no suffix: recognised by its content
    book.write_bytes(b"\xff\xfe" + CARDS.encode("utf-16-le"))
    assert main(["--data", str(tmp_path / "d"), "import", str(book)]) == 0
    assert sorted(c.name for c in Store.open(tmp_path / "d").all(Colleague)) == ["José Ortiz", "李小龍"]


def test_zero_bytes_in_a_utf8_file_are_still_refused(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    book.write_bytes(CARDS.replace("Ortiz", "Or\x00tiz").encode("utf-8"))
    with pytest.raises(VcardError, match="not a text file"):
        read_vcard_file(book)


@pytest.mark.parametrize("bom, encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_an_export_with_a_byte_order_mark_imports(tmp_path: Path, bom: bytes, encoding: str) -> None:
    """An editor on Windows may save the export again with a BOM (and in UTF-16)."""
    store = Store.open(tmp_path / "a")
    store.add(Colleague(name="Ann Lee", reach=["ann@example.org"]))
    out = tmp_path / "export.json"
    assert main(["--data", str(tmp_path / "a"), "export", "--out", str(out)]) == 0
    out.write_bytes(bom + out.read_text(encoding="utf-8").encode(encoding))
    assert main(["--data", str(tmp_path / "b"), "import", str(out)]) == 0
    assert [c.name for c in Store.open(tmp_path / "b").all(Colleague)] == ["Ann Lee"]


# --------------------------------------------------------------------------- 15: round trip


def _grow(store: Store, start: int, count: int) -> None:
    with store.transaction():
        for n in range(start, start + count):
            saved = store.add(Colleague(name=f"Colleague {n}", reach=[f"c{n}@example.org"], notes="likes walks " * 8))
            store.add(Contact(colleague_id=saved.id or 0, when=exchange.pendulum.now(), kind="call", note="a chat"))


def test_what_tend_exports_it_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The case from the issue: a 103 MB data file exports to 172 MB."""
    assert exchange.MAX_IMPORT_BYTES >= 172 * 1024 * 1024
    # The same, small: with the cap at 40 kB, every export written imports back; a bigger
    # one is refused before anything is written (never "too large to be a Tend export").
    monkeypatch.setattr(exchange, "MAX_IMPORT_BYTES", 40_000)
    store = Store.open(tmp_path / "data")
    written = refused = 0
    for step in range(12):
        _grow(store, step * 10, 10)
        out = tmp_path / f"export-{step}.json"
        code = main(["--data", str(tmp_path / "data"), "export", "--out", str(out)])
        if code == 0:
            written += 1
            assert out.stat().st_size <= 40_000
            target = tmp_path / f"back-{step}"
            assert main(["--data", str(target), "import", str(out)]) == 0, capsys.readouterr().err
            assert len(Store.open(target).all(Colleague)) == (step + 1) * 10
        else:
            refused += 1
            assert code == 1 and not out.exists()
            assert "more than Tend can import back" in capsys.readouterr().err
    assert written and refused  # both sides of the cap were tried


def test_what_tend_exports_as_vcf_it_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vcard, "MAX_FILE_BYTES", 6_000)
    store = Store.open(tmp_path / "data")
    outcomes = set()
    for step in range(8):
        _grow(store, step * 5, 5)
        out = tmp_path / f"book-{step}.vcf"
        code = main(["--data", str(tmp_path / "data"), "export", "--format", "vcf", "--out", str(out)])
        outcomes.add(code)
        if code == 0:
            assert main(["--data", str(tmp_path / f"back-{step}"), "import", str(out)]) == 0
        else:
            assert not out.exists()
    assert outcomes == {0, 1}


# --------------------------------------------------------------------------- 18: export targets


def test_export_never_replaces_a_pipe_or_a_folder_even_with_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store.open(tmp_path / "data").add(Colleague(name="Ann Lee"))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    for target, kind in ((fifo, "a pipe"), (folder, "a folder")):
        for fmt in ("json", "vcf", "ics"):
            for force in ([], ["--force"]):
                args = ["--data", str(tmp_path / "data"), "export", "--format", fmt, "--out", str(target), *force]
                assert main(args) == 2
                err = capsys.readouterr().err
                assert f"is {kind}, not a file" in err and "Traceback" not in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert stat.S_ISDIR(os.lstat(folder).st_mode) and not list(folder.iterdir())
    assert main(["--data", str(tmp_path / "data"), "export", "--format", "csv", "--out", str(fifo), "--force"]) == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_export_never_replaces_a_device_even_with_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A copy of /dev/null (as root, /dev/null itself would have been replaced)."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    assert main(["--data", str(tmp_path / "data"), "export", "--out", str(null), "--force"]) == 2
    assert "is a device, not a file" in capsys.readouterr().err
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == os.stat("/dev/null").st_rdev


def test_a_pipe_made_while_the_export_is_written_is_not_replaced(tmp_path: Path) -> None:
    """The last look comes just before the new file takes the name."""
    target = tmp_path / "export.json"

    def write(fd: int) -> None:
        os.mkfifo(target)  # appears after the first check
        os.write(fd, b"{}")

    with pytest.raises(exchange.UsageError, match="is a pipe"):
        atomic_write(target, write, temp_prefix=".tend-export-", before_replace=lambda: files.refuse_odd_target(target))
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]  # no temp file left


async def test_the_colleagues_prompt_refuses_a_device_at_once(make_app: object) -> None:
    from textual.widgets import Static

    app = make_app("colleagues")  # type: ignore[operator]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = "/dev/zero"
        await pilot.press("enter")
        await pilot.pause()
        assert "is a device, not a file" in str(app.screen.query_one("#prompt-error", Static).render())


def test_tends_own_data_given_to_import_says_how_to_bring_it_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A helper moving servers copies their data folder and tries `tend import` on it (or on
    # tend.json, its backup, a yearly file): "not a Tend export" left them stuck. The message
    # now gives the two commands that work, and nothing is added or changed on either side.
    import pendulum

    old = tmp_path / "old data"
    pendulum.travel_to(pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC"), freeze=True)
    try:
        store = Store.open(old)
        for day in range(120):
            store.add(Contact(colleague_id=store.add(Colleague(name=f"P{day}")).id or 0,
                              when=pendulum.now().subtract(days=day * 5)))  # fmt: skip
        store.roll_over(pendulum.today().date().add(days=7))
        Store.open(old)  # a start: the backup
    finally:
        pendulum.travel_back()
    [yearly, *_] = sorted((old / "history").iterdir())
    before = {p: p.read_bytes() for p in old.rglob("*") if p.is_file() and p.name != "tend.lock"}
    here = tmp_path / "here"
    monkeypatch.setenv("HOME", str(tmp_path))  # "~/old data", as typed where no shell expands it
    for given in (old, "~/old data", old / "tend.json", old / "tend.json.bak", yearly):
        assert main(["import", "--data", str(here), str(given)]) == 1
        err = capsys.readouterr().err
        assert "is Tend's own data, not an export" in err and "Traceback" not in err
        assert f"tend --data '{old}' export tend-export.json, then tend import tend-export.json" in err
        assert not here.exists()  # told apart before any data folder is opened
    assert Store.open(here).all(Colleague) == []
    assert {p: p.read_bytes() for p in old.rglob("*") if p.is_file() and p.name != "tend.lock"} == before
    # and the two commands it gives do bring it in
    out = tmp_path / "tend-export.json"
    assert main(["export", "--data", str(old), "--out", str(out)]) == 0
    assert main(["import", "--data", str(here), str(out)]) == 0
    assert len(Store.open(here).all(Colleague)) == 120


@pytest.mark.parametrize("given", ["missing.json", "/dev/null", "~no-such-user-here/x.json", "a folder"])
def test_an_import_with_nothing_to_read_creates_no_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    # A typo in the file name used to make a whole new data folder (tend.json, a backup)
    # before saying there was no file: for a first-time helper, at the default place.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a folder").mkdir()
    data = tmp_path / "never"
    assert main(["import", "--data", str(data), given]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tend: ") and "Traceback" not in err
    assert not data.exists()
