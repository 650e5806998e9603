"""Tend's terminal driver: Textual's Linux driver, made safe against bytes that are not UTF-8,
and keeping drafts whatever way Tend ends.

Textual's Linux driver decodes the terminal's bytes as strict UTF-8 in its input thread: one
byte that is not UTF-8 (``\\xe9`` from a terminal set to Latin-1, ``\\xff``, ``\\x80``) raises
``UnicodeDecodeError`` there and ends the app (exit code 0, nothing kept). Textual offers no
setting for this, so :class:`TendDriver` (given to Textual by ``TendApp.get_driver_class``, its
documented way to choose a driver) overrides two public methods of ``LinuxDriver``:

* ``run_input_thread``: while Textual's own loop runs, it reads from a pipe instead of the
  terminal (the driver's ``fileno``, which only that loop uses while it runs; Textual 8.2.8 is
  pinned exactly). A small thread copies the terminal's bytes into the pipe, leaving out every
  byte that is not UTF-8, and Tend says once that it did.
* ``disable_input``: Textual calls it as the app stops, however it stops (quit, a signal, an
  error), before any screen is taken down: Tend saves drafts there, so a half-typed form is
  kept on any exit.

Like ``app.tui``, this module imports Textual (``tests/test_import_hygiene.py`` knows).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import selectors
import signal
import threading
from typing import Any

from textual.drivers.linux_driver import LinuxDriver
from textual.notifications import Notification, Notify

UNREADABLE_NOTE = (
    "Tend got a character it could not read and left it out. If you meant to type an accented "
    "letter, your terminal may not be set to UTF-8."
)


class Utf8Filter:
    """Bytes in, UTF-8 out: every byte that cannot be part of UTF-8 is left out. A character
    split across two reads is kept whole."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.dropped = 0
        """How many bytes (runs of them) were left out so far."""

    def feed(self, data: bytes, *, final: bool = False) -> bytes:
        text = self._decoder.decode(data, final=final)
        if "\ufffd" in text:  # what "replace" put where bytes were not UTF-8
            self.dropped += text.count("\ufffd")
            text = text.replace("\ufffd", "")
        return text.encode("utf-8")


class TendDriver(LinuxDriver):
    """Textual's Linux driver with input cleaned of bytes that are not UTF-8, and drafts kept
    when input stops (see the module's docstring)."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.tend_app = app
        self._told = False

    def run_input_thread(self) -> None:
        if not self.input_tty:
            super().run_input_thread()  # a pipe or a file: Textual's own way
            return
        terminal = self.fileno
        clean_out, clean_in = os.pipe()
        stop_out, stop_in = os.pipe()
        copier = threading.Thread(
            target=self._copy_clean, args=(terminal, clean_in, stop_out), name="tend-input", daemon=True
        )
        copier.start()
        self.fileno = clean_out
        try:
            super().run_input_thread()
        finally:
            self.fileno = terminal
            os.close(clean_out)  # a copier blocked on a full pipe stops at once
            os.write(stop_in, b".")
            copier.join(timeout=1)
            for fd in (clean_in, stop_out, stop_in):
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _copy_clean(self, terminal: int, sink: int, stop: int) -> None:
        """Copy the terminal's bytes into ``sink`` without those that are not UTF-8."""
        cleaner = Utf8Filter()
        with selectors.DefaultSelector() as selector:
            selector.register(terminal, selectors.EVENT_READ)
            selector.register(stop, selectors.EVENT_READ)
            while True:
                ready = {key.fd for key, _ in selector.select()}
                if stop in ready:
                    return
                try:
                    data = os.read(terminal, 4096)
                except OSError:
                    data = b""
                if not data:
                    # The terminal is gone (as when an SSH connection drops): do what a hangup
                    # does, save drafts and leave (Textual's own loop would have crashed here).
                    os.kill(os.getpid(), signal.SIGHUP)
                    return
                clean = cleaner.feed(data)
                if cleaner.dropped and not self._told:
                    self._told = True
                    self.send_message(Notify(Notification(UNREADABLE_NOTE, severity="warning", timeout=8)))
                try:
                    while clean:
                        clean = clean[os.write(sink, clean) :]
                except OSError:
                    return  # the driver stopped reading

    def disable_input(self) -> None:
        save_drafts = getattr(self.tend_app, "save_drafts", None)
        if callable(save_drafts):
            with contextlib.suppress(Exception):  # whatever happens, Tend still closes
                save_drafts()
        super().disable_input()
