"""Real Unix users in a shared group, for the circle's tests (issue 20).

``unix_circle`` makes a group and three users with unique names (two members and one
outsider), a private place under /tmp they can reach, and a way to run ``tend`` as each of
them; everything is removed afterwards. It skips, saying why, where that cannot be done:
not root, no ``useradd``/``groupadd``, or no Python the test users may run.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

WORKTREE = Path(__file__).resolve().parents[1]
TOOLS = ("useradd", "groupadd", "userdel", "groupdel")


@dataclass
class Person:
    name: str
    uid: int
    gid: int
    home: Path
    groups: list[int] = field(default_factory=list)


@dataclass
class UnixCircle:
    base: Path
    group: str
    gid: int
    python: str
    people: dict[str, Person]
    circle: Path

    def env(self, person: Person) -> dict[str, str]:
        paths = [str(WORKTREE), *site.getsitepackages()]
        return {
            "PATH": "/usr/bin:/bin",
            "HOME": str(person.home),
            "TEND_DATA_DIR": str(person.home / "data"),
            "PYTHONPATH": os.pathsep.join(paths),
            "PYTHONDONTWRITEBYTECODE": "1",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
        }

    def run(self, who: str, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
        """``tend ARGS`` (or ``python -c CODE``) as ``who``, with their groups and no others."""
        person = self.people[who]
        command = [self.python, "-c", code] if code is not None else [self.python, "-m", "app", *args]
        return subprocess.run(
            command, user=person.uid, group=person.gid, extra_groups=person.groups, env=self.env(person),
            cwd=person.home, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    def tend(self, who: str, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(who, "circle", *args)

    def inbox(self, who: str) -> dict[str, Any]:
        done = self.tend(who, "inbox", "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.fixture
def unix_circle() -> Iterator[UnixCircle]:
    """A circle folder for a new group with members ``a`` and ``b`` (joined, sharing on) and
    an outsider ``o`` who is in no group of the circle."""
    if os.geteuid() != 0:
        pytest.skip("the circle's real-user tests make Unix users and need root (CI runs as root)")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the circle's real-user tests need {', '.join(missing)}")
    import grp
    import pwd

    tag = secrets.token_hex(3)
    group = f"tendc{tag}"
    names = {"a": f"tca{tag}", "b": f"tcb{tag}", "o": f"tco{tag}"}
    base = Path(tempfile.mkdtemp(prefix="tend-circle-", dir="/tmp"))
    os.chmod(base, 0o711)  # the test users may pass through, not list
    made_users: list[str] = []
    made_group = False
    try:
        _run("groupadd", group)
        made_group = True
        gid = grp.getgrnam(group).gr_gid
        people = {}
        for key, name in names.items():
            _run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "-N", *(["-G", group] if key != "o" else []), name)
            made_users.append(name)
            entry = pwd.getpwnam(name)
            home = base / name
            home.mkdir(mode=0o700)
            os.chown(home, entry.pw_uid, entry.pw_gid)
            people[key] = Person(name, entry.pw_uid, entry.pw_gid, home, [gid] if key != "o" else [])
        python = _python_for(people["a"], base)
        circle = UnixCircle(base, group, gid, python, people, base / "circle")
        _check_runs(circle)
        done = subprocess.run(
            [python, "-m", "app", "circle", "create", str(circle.circle), "--group", group],
            env=circle.env(people["a"]) | {"TEND_DATA_DIR": str(base / "admin-data")}, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        for key in ("a", "b"):
            assert circle.tend(key, "join", str(circle.circle)).returncode == 0
            for what in ("status", "checkins", "asks"):
                assert circle.tend(key, "share", what, "on").returncode == 0
        yield circle
    finally:
        for name in made_users:
            subprocess.run(["userdel", name], capture_output=True, check=False)
        if made_group:
            subprocess.run(["groupdel", group], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


def _python_for(person: Person, base: Path) -> str:
    """A Python the test users may run, the same version as this one."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, os.path.realpath(sys.executable), f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if not os.path.exists(candidate):
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2])"],
                user=person.uid, group=person.gid, extra_groups=[], capture_output=True, text=True, check=False, cwd=base,
            )  # fmt: skip
        except OSError:  # not theirs to run (a folder on the way is private)
            continue
        if probe.returncode == 0 and probe.stdout.strip() == str(tuple(sys.version_info[:2])):
            return candidate
    pytest.skip(f"no {version} here that an ordinary user may run (the test's own is under a private folder)")


def _check_runs(circle: UnixCircle) -> None:
    done = circle.run("a", code="import app.cli, app.circle, app.storage")
    if done.returncode != 0:
        pytest.skip(
            "an ordinary user cannot import Tend from this checkout (its folder or its packages are "
            f"not readable by others): {done.stderr.strip().splitlines()[-1:]}"
        )


@pytest.fixture
def circle_member() -> Iterator[Person]:
    """One new Unix user (a unique name, no home, no login), removed afterwards: a member
    whose files the test plants, as root, in a circle this process reads."""
    if os.geteuid() != 0:
        pytest.skip("the circle's Today tests make a Unix user and need root (CI runs as root)")
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        pytest.skip("the circle's Today tests need useradd and userdel")
    import pwd

    name = f"tcd{secrets.token_hex(3)}"
    _run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "-N", name)
    try:
        entry = pwd.getpwnam(name)
        yield Person(name, entry.pw_uid, entry.pw_gid, Path("/nonexistent"))
    finally:
        subprocess.run(["userdel", name], capture_output=True, check=False)


def plant_circle(root: Path, member: Person, files: dict[str, Any], *, when: float) -> Path:
    """A circle folder (group root, mode 3770) at ``root`` with ``member``'s folder holding
    ``files`` (name: a JSON-able object, or bytes as they are), all owned by ``member`` and
    dated ``when``; this process (root) has joined it. Returns the circle folder."""
    circle = root / "circle"
    circle.mkdir()
    os.chown(circle, 0, 0)
    os.chmod(circle, 0o3770)
    folder = circle / member.name
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode())
        os.chown(path, member.uid, 0)
        os.chmod(path, 0o640)
        os.utime(path, (when, when))
    os.chown(folder, member.uid, 0)
    os.chmod(folder, 0o2750)
    return circle
