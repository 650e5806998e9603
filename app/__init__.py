"""Tend: a terminal companion for people in helping professions.

The ``app`` package holds the domain layer (storage, records, schedules, text cleaning),
which never imports Textual, plus the Textual application shell in :mod:`app.tui`.
"""

__version__ = "0.1.0"
