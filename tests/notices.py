"""What the app told the person in notifications, heard through Textual's test API.

``app.run_test(message_hook=...)`` calls the hook with every message the app handles, and a
notification is a ``Notify`` message. So a test passes a ``Notices`` as the hook and reads
every notification raised while the app ran: whether or not a toast is drawn (``run_test``
draws none), and however long the test takes on a busy machine (a toast, and the app's own
list of them, lets a notification go after a few seconds; this keeps them all).

    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        ...
        assert notices.said("Saved")
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.message import Message
from textual.notifications import Notification, Notify


class Notices:
    """Every notification an app raised, oldest first."""

    def __init__(self) -> None:
        self.raised: list[Notification] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.raised.append(message.notification)

    def __iter__(self) -> Iterator[Notification]:
        return iter(self.raised)

    def messages(self) -> list[str]:
        return [str(n.message) for n in self.raised]

    def said(self, words: str) -> bool:
        """Whether any notification's message holds ``words``."""
        return any(words in message for message in self.messages())
