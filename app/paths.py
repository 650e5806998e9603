"""The one module that knows where Tend keeps things.

The data folder is ``$XDG_DATA_HOME/tend`` (found with platformdirs), unless the command line
gives ``--data DIR`` or the environment sets ``TEND_DATA_DIR``. Everything Tend writes lives
in that one folder, so that privacy checks have exactly one place to look.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "TEND_DATA_DIR"
APP_NAME = "tend"


class PathError(ValueError):
    """A path that cannot be used as given; ``str(error)`` is a plain message to show."""


def expand_home(path: str | os.PathLike[str]) -> Path:
    """``path`` with a leading ``~`` or ``~name`` made into that home folder.

    :class:`PathError` when there is no such user (pathlib raises ``RuntimeError``)."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        head = str(path).split("/", 1)[0]
        raise PathError(
            f"Tend could not find a home folder for {shown_path(head)}: there is no user by "
            "that name here. Write the path out in full."
        ) from None


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path made safe to show in a terminal and still readable: the home folder as ``~``,
    and any control, bidi or invisible character (an escape code in a folder name, say)
    written as a visible escape such as ``\\x1b`` (:func:`app.textclean.visible_controls`).
    Every message, report line and screen that shows a path uses this."""
    from app.textclean import visible_controls

    return visible_controls(display_path(Path(path)) if str(path) else "")


def default_data_dir() -> Path:
    """The data folder when nothing overrides it."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False, roaming=False)


def resolve_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use: ``override``, then ``$TEND_DATA_DIR``, then the XDG default.
    An empty ``override`` (``--data "$UNSET"`` in a script) is refused, never taken to mean
    the usual folder."""
    if override is not None and not str(override).strip():
        raise PathError("--data was given no folder (an empty name). Give the folder, or leave --data out for the usual one.")
    if override:
        return expand_home(override).absolute()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        found = expand_home(env)
        if not found.is_absolute():  # each folder Tend was started in would have data of its own
            shown = shown_path(env)
            raise PathError(
                f"{ENV_DATA_DIR} is '{shown}', a path from wherever Tend is started, so each folder would have data "
                f"of its own. Give the whole path, like ~/{shown.lstrip('./') or 'tend'}."
            )
        return found
    return default_data_dir()


def display_path(path: Path) -> str:
    """``path`` as a person would write it: the home folder shortened to ``~``. Not yet safe
    to show: see :func:`shown_path`."""
    home = os.path.expanduser("~")
    text = str(path)
    if home not in ("", "/") and (text == home or text.startswith(home.rstrip("/") + "/")):
        return "~" + text[len(home.rstrip("/")) :]
    return text


@dataclass(frozen=True)
class DataPaths:
    """Every path inside one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "tend.json"

    @property
    def lock(self) -> Path:
        return self.root / "tend.lock"

    @property
    def backup(self) -> Path:
        return self.root / "tend.json.bak"

    @property
    def temp_prefix(self) -> str:
        """Temporary files are ``.tend-<random>.tmp`` beside the database."""
        return ".tend-"

    @property
    def temp_suffix(self) -> str:
        return ".tmp"

    def temp_files(self) -> list[Path]:
        """Temporary files left in the folder (by a crash, say)."""
        try:
            names = os.listdir(self.root)
        except OSError:
            return []
        return [
            self.root / name
            for name in names
            if name.startswith(self.temp_prefix) and name.endswith(self.temp_suffix)
        ]

    def damaged_name(self, stamp: str) -> Path:
        """Where a damaged database is kept aside."""
        return self.root / f"tend.json.damaged-{stamp}"

    def damaged_backup_name(self, stamp: str) -> Path:
        """Where a backup that cannot be read is kept aside (never overwritten)."""
        return self.root / f"tend.json.bak.damaged-{stamp}"

    def kept_backup_name(self, stamp: str) -> Path:
        """Where a backup that held more than the data replacing it is kept aside."""
        return self.root / f"tend.json.bak-{stamp}"

    def kept_aside(self) -> list[Path]:
        """Every file Tend has kept aside: damaged files, damaged backups, older backups."""
        try:
            names = os.listdir(self.root)
        except OSError:
            return []
        prefixes = ("tend.json.damaged-", "tend.json.bak.damaged-", "tend.json.bak-")
        return sorted(self.root / name for name in names if name.startswith(prefixes))
