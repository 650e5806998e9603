"""The tallies kept beside each history file's name (issue 14: nothing done daily grows with
the years): the breathing screen's "in all" adds them up instead of reading every year, so
they must equal a count over every record after any change that rewrites a history file
(adding an old session, editing or removing one, a roll-over), and a folder from a Tend
from before them gets them at its next start."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pendulum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.breathing_history import History, load_history, load_whole
from app.models import BodyScan, BreathingSession
from app.storage import Store

NOW = pendulum.datetime(2026, 11, 25, 14, 30, tz="UTC")


def totals(history: History | None) -> tuple[int, float, int, float]:
    assert history is not None
    return history.all_sessions, round(history.all_seconds, 6), history.week_sessions, round(history.week_seconds, 6)


def every_session(store: Store) -> History:
    """The history counted over every stored session, every history file read."""
    return load_history(store, NOW)


def tallies_in_file(folder: Path) -> list[object]:
    data = json.loads((folder / "tend.json").read_bytes())
    return [info.get("tally") for meta in data["_meta"].values() for info in meta["history"]["files"].values()]


# A change to the sessions: (what, days ago, seconds, cycles)
changes = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "remove", "roll"]),
        st.integers(0, 900),
        st.sampled_from([0.0, 5.0, 9.99, 10.0, 64.5, 300.0]),
        st.integers(0, 12),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=changes)
@example(steps=[  # old sessions into a yearly file, then one of them changed to not count, one removed, one added
    ("add", 800, 64.5, 3), ("add", 700, 300.0, 5), ("add", 2, 10.0, 1), ("roll", 0, 0.0, 0),
    ("edit", 0, 5.0, 0), ("remove", 1, 0.0, 0), ("add", 650, 64.5, 2), ("roll", 40, 0.0, 0),
])
def test_the_tallies_always_equal_a_count_over_every_session(tmp_path_factory, steps) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("tallies") / "data"
    pendulum.travel_to(NOW, freeze=True)
    try:
        store = Store.open(folder)
        day = NOW.date()
        for index, (what, ago, seconds, cycles) in enumerate(steps):
            sessions = store.all(BreathingSession)
            if what == "add" or not sessions:
                when = NOW.subtract(days=ago, minutes=index)
                store.add(BreathingSession(when=when, actual_seconds=seconds, cycles_done=cycles))
            elif what == "edit":
                target = sessions[ago % len(sessions)]
                store.update(dataclasses.replace(target, actual_seconds=seconds, cycles_done=cycles))
            elif what == "remove":
                store.remove(BreathingSession, sessions[ago % len(sessions)].id or 0)
            else:
                day = day.add(days=1 + ago % 20)
                store.roll_over(day)
            whole = load_whole(store, NOW)
            if store.has_history(BreathingSession):
                assert whole is not None  # every file this Tend wrote has its tally
            assert totals(whole) == totals(every_session(store))
        assert totals(load_whole(Store.open(folder), NOW)) == totals(every_session(Store.open(folder)))
    finally:
        pendulum.travel_back()


def four_hundred_days(folder: Path) -> Store:
    """A session (some that count, some not) and a scan on each of 400 days, the older ones
    rolled over into their yearly files. Call with time frozen at NOW."""
    store = Store.open(folder)
    for day in range(400):
        when = NOW.subtract(days=day, hours=3)
        store.add(BreathingSession(when=when, actual_seconds=float(day % 90), cycles_done=day % 4))
        store.add(BodyScan(when=when, ratings={"neck": day % 4}))
    store.roll_over(NOW.date().add(days=7))
    return store


def test_a_folder_from_before_tallies_gets_them_at_its_next_start(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    pendulum.travel_to(NOW, freeze=True)
    try:
        four_hundred_days(folder)
        path = folder / "tend.json"
        data = json.loads(path.read_bytes())
        for meta in data["_meta"].values():
            for info in meta["history"]["files"].values():
                info.pop("tally", None)  # as an older Tend of this layout wrote it
        path.write_bytes(json.dumps(data).encode())
        looking = Store.open_to_read(folder)  # as `tend status` opens it: nothing written
        assert looking is not None and looking.history_tally(BreathingSession) is None
        assert load_whole(looking, NOW) is None  # so the breathing screen reads the files
        reopened = Store.open(folder)  # a start, under the lock
        assert reopened.history_tally(BreathingSession) is not None
        assert totals(load_whole(reopened, NOW)) == totals(every_session(reopened))
        # The breathing files have their tally again; the scans keep none (nothing adds them up).
        assert sorted(t is not None for t in tallies_in_file(folder)) == [False, False, True, True]
    finally:
        pendulum.travel_back()



def test_doctor_finds_a_tally_that_differs_from_its_file_and_fix_counts_it_again(tmp_path: Path) -> None:
    # Only a hand edit of tend.json makes a tally wrong; the breathing screen's "In all" would
    # then be off with no word. doctor names it, and --fix counts it again from the file.
    from app.doctor import check_data

    folder = tmp_path / "data"
    pendulum.travel_to(NOW, freeze=True)
    try:
        right = totals(every_session(four_hundred_days(folder)))
        path = folder / "tend.json"
        data = json.loads(path.read_bytes())
        info = next(iter(data["_meta"].values()))["history"]["files"]["breathing-2025"]
        info["tally"]["sessions"] += 5
        path.write_bytes(json.dumps(data).encode())
        assert totals(load_whole(Store.open(folder), NOW)) != right  # the screen would be off

        said = " ".join(f.text for f in check_data(folder))
        assert "The totals Tend keeps for breathing from 2025 do not match" in said and "--fix" in said
        fixed = " ".join(f.text for f in check_data(folder, fix=True))
        assert "breathing from 2025 did not match the file; counted again" in fixed
        assert "do not match" not in " ".join(f.text for f in check_data(folder))
        assert totals(load_whole(Store.open(folder), NOW)) == right
    finally:
        pendulum.travel_back()
