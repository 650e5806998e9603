"""What a screen may ask of Tend's app, and nothing more.

:class:`TendShell` is Textual's ``App`` plus the few things Tend's screens use: the store,
``saving()``, the data-changed signal, the draft keepers, and a handful of actions.
``app.tui.TendApp`` is the one implementation. Screens are typed against this class, so they
never import ``app.tui`` (which imports them): the dependency runs one way, from the app
down to its screens and from both down to here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from textual.app import App
from textual.signal import Signal

from app.models import Settings
from app.storage import Store, StoreError


@dataclass
class SaveAttempt:
    """Result of :meth:`TendShell.saving`: ``ok`` is False when the save failed."""

    ok: bool = True
    error: StoreError | None = field(default=None)


class TendShell(App[None]):
    """Tend's app as its screens see it (see the module docstring)."""

    store: Store
    """The data (see docs/developing.md, "Records and the store")."""
    data_changed: Signal[str]
    """Published (with a table name or "") after this app saves, or when another Tend did."""
    draft_keepers: set[Any]
    """Screens that keep drafts, saved on quit, SIGHUP and SIGTERM (they add themselves)."""

    @contextlib.contextmanager
    def saving(self, what: str = "") -> Iterator[SaveAttempt]:
        """Run a change to the store; on failure tell the person plainly and carry on."""
        raise NotImplementedError
        yield SaveAttempt()  # pragma: no cover - the shape of the generator

    def retry_when_free(self, again: Callable[[], object]) -> None:
        """After a save that failed because another Tend was saving: ``again`` once it is done."""
        raise NotImplementedError

    def keymap_key(self, binding_id: str) -> str | None:
        """The key the config file's ``[keys]`` gives the binding ``binding_id`` in place of its
        own (the first, if it gives several), or None when it keeps its own."""
        return None

    def report_left_out(self) -> None:
        """Name, once each, the entries the store left out because they do not fit."""
        raise NotImplementedError

    def check_external_changes(self) -> bool:
        """If another Tend changed the data file, tell the screens. True if it did."""
        raise NotImplementedError

    def preferences(self) -> Settings:
        """The settings as they apply now: saved with the data, with the config file's on top."""
        raise NotImplementedError

    def open_breathing(self, pattern: str, minutes: float | None = None) -> None:
        """Switch to breathing and start ``pattern`` (about ``minutes`` long)."""
        raise NotImplementedError

    def action_go(self, mode: str) -> None:
        """Open a main screen (closing dialogs on top of the current one)."""
        raise NotImplementedError

    def action_back(self) -> None:  # type: ignore[override]  # Textual's is async; screens call this one directly
        """Escape: close what is on top, or return to Today."""
        raise NotImplementedError


def save_when_free(
    tend: TendShell, what: str, change: Callable[[], object], saved: Callable[[], object] | None = None
) -> SaveAttempt:
    """Save something nobody can be asked to save again (a breathing session that has ended, a
    finished scan): ``change`` runs in one transaction now, or, if another Tend was saving
    just then, once that Tend has finished (the waiting line shows meanwhile). ``saved`` runs
    after a save that worked, now or later. Returns how the first try went: a
    :class:`~app.storage.LockBusy` error means it is waiting."""
    with tend.saving(what) as attempt, tend.store.transaction():
        change()
    if attempt.ok:
        if saved is not None:
            saved()
    else:
        tend.retry_when_free(lambda: save_when_free(tend, what, change, saved))
    return attempt
