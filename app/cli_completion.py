"""``tend completion bash|zsh|fish``: the completion script, made by shtab from ``tend``'s
own argparse parser, so every subcommand and option completes as ``--help`` lists it, and
ritual and colleague names complete from the data as it is now (``tend _names``, which only
reads; see :func:`app.cli_shell._complete_names`)."""

from __future__ import annotations

import argparse


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for ``shell`` (bash, zsh or fish)."""
    import shtab

    text = shtab.complete(parser, shell=shell)
    return text if text.endswith("\n") else text + "\n"
