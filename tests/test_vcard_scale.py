"""Issue 21, item 12: big address books. Duplicates are found through an index (each person
cleaned once), the store's lock is held only for the final write, progress is reported and
an import can be stopped with nothing written."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Static

from app import vcard
from app.cli import main
from app.models import Colleague
from app.storage import InterProcessLock, Store
from app.vcard import VcardPerson, same_person, split_duplicates
from screens.dialogs import NoticeDialog, ProgressDialog


def book(count: int, start: int = 0) -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nTEL:+44 7700 9{n:05d}\r\n"
        f"EMAIL:p{n}@example.org\r\nEND:VCARD\r\n"
        for n in range(start, start + count)
    )


# --------------------------------------------------------------------------- duplicates


def naive_split(people: list[VcardPerson], existing: list[VcardPerson]) -> tuple[list[VcardPerson], list[VcardPerson]]:
    """The definition: every pair asked of same_person."""
    known = [(p.name, list(p.reach)) for p in existing]
    new, dups = [], []
    for person in people:
        if any(same_person(person.name, person.reach, name, reach) for name, reach in known):
            dups.append(person)
        else:
            new.append(person)
            known.append((person.name, list(person.reach)))
    return new, dups


NAMES = st.sampled_from(["Ann Lee", "ann  lee", "ANN LEE", "Bo", "bo", "Cy Diaz"])
PHONES = st.builds(
    lambda prefix, body, cut: prefix + body[cut:],
    st.sampled_from(["", "+44 ", "0", "+1 ", "00 44 "]),
    st.sampled_from(["7700 900123", "7700 900124", "555 0100 22", "900 123", "20 7946 0958", "9001234"]),
    st.integers(0, 3),
)
EMAILS = st.sampled_from(["ann@example.org", "ANN@example.org", "bo@example.org", "x@y.org"])
PEOPLE = st.lists(
    st.builds(lambda n, r: VcardPerson(name=n, reach=tuple(r)), NAMES, st.lists(st.one_of(PHONES, EMAILS), max_size=3)),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(PEOPLE, PEOPLE)
def test_the_index_finds_exactly_the_duplicates_that_pairwise_checks_find(people: list[VcardPerson], existing: list[VcardPerson]) -> None:
    assert split_duplicates(people, existing) == naive_split(people, existing)


def test_each_person_is_cleaned_once_not_once_per_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 cards against 2,000 colleagues: 4,000 cleanings, not 8,000,000."""
    calls = 0
    clean = vcard.clean_text

    def counting(*args: Any, **kwargs: Any) -> str:
        nonlocal calls
        calls += 1
        return clean(*args, **kwargs)

    existing = [VcardPerson(name=f"Person {n}", reach=(f"p{n}@example.org",)) for n in range(2000)]
    incoming = [VcardPerson(name=f"Person {n}", reach=(f"p{n}@example.org",)) for n in range(1000, 3000)]
    monkeypatch.setattr(vcard, "clean_text", counting)
    new, duplicates = split_duplicates(incoming, existing)
    assert (len(new), len(duplicates)) == (1000, 1000)
    assert calls <= 2 * (len(existing) + len(incoming))


# --------------------------------------------------------------------------- lock, progress, cancel


def test_reading_and_checking_happen_without_the_lock(tmp_path: Path, store: Store) -> None:
    """Another Tend holds the lock all the while: the file is read, every card reported, and
    only the final write waits for it."""
    path = tmp_path / "book.vcf"
    path.write_text(book(300), encoding="utf-8")
    read_all = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == total:
            read_all.set()

    other = InterProcessLock(store.paths.lock)  # its own open file: a second Tend
    other.acquire()
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(report=vcard.import_vcard_file(store, path, progress=progress)))
    try:
        worker.start()
        assert read_all.wait(timeout=120)
        assert worker.is_alive() and "report" not in result  # waiting for the lock, to write
        before = store.paths.database.read_bytes()
    finally:
        other.release()
    worker.join(timeout=120)
    assert len(result["report"].added) == 300
    assert b"Person 299" not in before
    assert seen[0] == (0, 300) and seen[-1] == (300, 300)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and len(seen) >= 4


def test_stopping_while_reading_writes_nothing(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "book.vcf"
    path.write_text(book(500), encoding="utf-8")
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 200:
            stop.set()

    with pytest.raises(vcard.ImportCancelled):
        vcard.import_vcard_file(store, path, progress=progress, cancel=stop)
    assert store.all(Colleague) == []


def test_stopping_after_reading_writes_nothing(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "book.vcf"
    path.write_text(book(50), encoding="utf-8")
    stop = threading.Event()
    prepared = vcard.prepare_vcard_import(path, vcard.known_colleagues(store), cancel=stop)
    stop.set()
    with pytest.raises(vcard.ImportCancelled):
        vcard.commit_vcard_import(store, prepared, cancel=stop)
    assert store.all(Colleague) == []


def test_someone_added_meanwhile_by_another_tend_is_not_added_twice(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "book.vcf"
    path.write_text(book(20), encoding="utf-8")
    prepared = vcard.prepare_vcard_import(path, vcard.known_colleagues(store))
    Store.open(store.paths.root).add(Colleague(name="Person 7", reach=["p7@example.org"]))  # the other Tend
    report = vcard.commit_vcard_import(store, prepared)
    assert report.duplicates == ["Person 7"] and len(report.added) == 19
    assert sorted(c.name for c in store.all(Colleague)).count("Person 7") == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_line_shows_progress_only_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.vcf"
    path.write_text(book(250), encoding="utf-8")
    assert main(["--data", str(tmp_path / "a"), "import", str(path)]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: nothing but the summary, on stdout
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["--data", str(tmp_path / "b"), "import", str(path)]) == 0
    shown = terminal.getvalue()
    assert "Reading cards: 0 of 250" in shown and "Reading cards: 200 of 250" in shown
    assert "Reading cards: 250 of 250" in shown
    assert "Added 250 colleagues" in capsys.readouterr().out


# --------------------------------------------------------------------------- the colleagues screen


@pytest.fixture
def big_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "big.vcf"
    path.write_text(book(1500), encoding="utf-8")
    return path


async def start_import(app: Any, pilot: Any, path: Path, *then: str) -> None:
    await pilot.press("i")
    await pilot.pause()
    app.screen.query_one(Input).value = str(path)
    await pilot.press("enter", *then)


async def test_a_big_address_book_imports_in_the_background_with_progress(
    make_app: Any, store: Store, big_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports: list[tuple[int, int]] = []
    report = ProgressDialog.report
    monkeypatch.setattr(ProgressDialog, "report", lambda self, done, total: (reports.append((done, total)), report(self, done, total)))
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_import(app, pilot, big_file)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        assert "Added 1500 colleagues from big.vcf." in str(app.screen.message)
    assert len(store.all(Colleague)) == 1500
    assert reports[0] == (0, 1500) and reports[-1] == (1500, 1500) and len(reports) == 17


async def test_the_progress_dialog_counts_and_escape_asks_to_stop(make_app: Any) -> None:
    app = make_app("colleagues")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = ProgressDialog("Importing big.vcf", "Reading cards")
        app.push_screen(dialog)
        await pilot.pause()
        dialog.report(1200, 5000)
        await pilot.pause()
        assert str(dialog.query_one("#progress-text", Static).render()) == "Reading cards: 1,200 of 5,000"
        await pilot.press("escape")
        assert dialog.cancel.is_set() and app.screen is dialog
        assert str(dialog.query_one("#progress-text", Static).render()) == "Stopping..."
        dialog.finish()
        await pilot.pause()
        assert app.screen is not dialog


async def test_escape_stops_a_big_import_and_nothing_is_added(
    make_app: Any, store: Store, big_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading thread is held at its first report until escape has been pressed."""
    go = threading.Event()
    report = ProgressDialog.report

    def held(self: ProgressDialog, done: int, total: int) -> None:
        report(self, done, total)
        if done == 0:
            assert go.wait(timeout=120)

    monkeypatch.setattr(ProgressDialog, "report", held)
    app = make_app("colleagues")
    said: list[str] = []
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (said.append(str(message)), notify(message, **kw)))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_import(app, pilot, big_file)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ProgressDialog)
        assert str(dialog.query_one("#progress-text", Static).render()) == "Reading cards: 0 of 1,500"
        await pilot.press("escape")
        go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not dialog and not isinstance(app.screen, NoticeDialog)
        assert "Import stopped. Nothing was added." in said
    assert store.all(Colleague) == []


async def test_a_big_damaged_address_book_is_refused_in_words(
    make_app: Any, store: Store, big_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big_file.write_text(book(400) + "BEGIN:VCARD\r\nFN:Half\r\n", encoding="utf-8")
    app = make_app("colleagues")
    said: list[str] = []
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (said.append(str(message)), notify(message, **kw)))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_import(app, pilot, big_file)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, (NoticeDialog, ProgressDialog))
        assert any("never closed" in text and "nothing was imported" in text for text in said)
    assert store.all(Colleague) == []
