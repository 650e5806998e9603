"""vCard import: Tend's whole import of an address book vs vobject's own parse of the same file.

    python benchmarks/vcard_import.py [--runs 3] [--sizes 1000 5000 10000 20000]

For each size, a phone-style address book (N, FN, two TEL, EMAIL, ORG, TITLE, NOTE,
CATEGORIES; one card in twenty repeats an earlier person) is written once. Tend's figure is
``app.vcard.import_vcard_file`` into a fresh data folder: read the file, parse every card,
sort out duplicates, and one locked, atomic write of all the new colleagues. The baseline is
``list(vobject.readComponents(text))`` of the same text: parsing alone, nothing checked or
saved. Beside each, the time the store's lock was held (the final write only).

Target: at 5,000 cards Tend takes at most 3x vobject's parse; Tend's time grows no faster
than the number of cards (exponent k of the best fit time = c * cards^k, k <= 1.1).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Figure, interleaved, median, table  # noqa: E402
from scale import growth  # noqa: E402

SIZES = (1000, 5000, 10000, 20000)
TARGET = 3.0
FIRST = ["Ann", "Bo", "Cai", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kim", "Noor", "Oli", "Rae"]
LAST = ["Lee", "Ito", "Okafor", "Smith", "García", "Nguyen", "Khan", "Müller", "Rossi", "Silva"]


def card(n: int, rnd: random.Random) -> str:
    if n and n % 20 == 0:
        n = rnd.randrange(n)  # the same person again: found as a duplicate
    first, last = FIRST[n % len(FIRST)], LAST[n % len(LAST)]
    return "\r\n".join(
        [
            "BEGIN:VCARD", "VERSION:3.0", f"N:{last};{first};;;", f"FN:{first} {last} {n}",
            f"TEL;TYPE=CELL:+44 7700 {n:06d}", f"TEL;TYPE=WORK:020 7946 {n % 10000:04d}",
            f"EMAIL;TYPE=INTERNET:{first.lower()}.{n}@example.org", f"ORG:Practice {n % 50}",
            "TITLE:Clinical supervisor" if n % 7 == 0 else "TITLE:Counsellor",
            f"NOTE:Met at the {n % 12} training\\, likes walks", "CATEGORIES:peer,work",
            "END:VCARD", "",
        ]
    )  # fmt: skip


def address_book(folder: Path, cards: int) -> Path:
    rnd = random.Random(cards)
    path = folder / f"book-{cards}.vcf"
    path.write_text("".join(card(n, rnd) for n in range(cards)), encoding="utf-8")
    return path


def vobject_parse(path: Path) -> float:
    import vobject

    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    list(vobject.readComponents(text))
    return time.perf_counter() - start


def tend_import(path: Path, folder: Path) -> tuple[float, float]:
    """Seconds for the whole import, and seconds the lock was held."""
    from app.storage import Store
    from app.vcard import import_vcard_file

    data = Path(tempfile.mkdtemp(dir=folder))
    store = Store.open(data / "tend")
    held = 0.0
    transaction = store.transaction

    @contextlib.contextmanager
    def timed():  # type: ignore[no-untyped-def]
        nonlocal held
        with transaction():
            began = time.perf_counter()
            yield
        held += time.perf_counter() - began  # the write itself happens as the lock is let go

    store.transaction = timed  # type: ignore[method-assign]
    start = time.perf_counter()
    report = import_vcard_file(store, path)
    took = time.perf_counter() - start
    assert report.added and report.duplicates
    shutil.rmtree(data)
    return took, held


def figures(runs: int, sizes: tuple[int, ...] = SIZES) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="tend-vcard-bench-"))
    try:
        rows: list[Figure] = []
        tend_times, vobject_times = [], []
        for cards in sizes:
            path = address_book(folder, cards)
            results = interleaved(runs, {"tend": lambda: tend_import(path, folder), "vobject": lambda: vobject_parse(path)})
            tend = median(took for took, _ in results["tend"])
            held = median(held for _, held in results["tend"])
            baseline = median(results["vobject"])
            tend_times.append(tend)
            vobject_times.append(baseline)
            ratio = tend / baseline
            target = f"<= {TARGET:.2f}x" if cards == 5000 else "(for reference)"
            rows.append(
                Figure(
                    f"vCard import, {cards:,} cards (s; lock held)",
                    f"{tend:.2f}; {held:.2f}",
                    f"vobject parse {baseline:.2f}",
                    ratio,
                    target,
                    ratio <= TARGET if cards == 5000 else None,
                )
            )
        if len(sizes) > 1:
            k = growth(tend_times, list(sizes))
            k_vobject = growth(vobject_times, list(sizes))
            rows.append(Figure("vCard import grows as cards^k", f"k={k:.2f}", f"vobject k={k_vobject:.2f}", None, "k <= 1.10", k <= 1.1))
        return rows
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    print(table(figures(args.runs, tuple(args.sizes))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
