"""Every ``# type: ignore`` names its error code and says why, on the same line.

    python3 .ci/type_ignores.py [folder ...]      (default: app screens)

prints each one that does not (``path:line: ...``) and exits 1 if there is any. The form:

    value = thing.odd  # type: ignore[attr-defined]  # <why mypy is wrong here>

mypy itself insists on the code (``ignore-without-code``) and on the ignore still being
needed (``warn_unused_ignores``); the reason is for the next reader, who otherwise cannot
tell a considered exception from a silenced bug.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

_IGNORE = re.compile(r"type:\s*ignore\b")
_WITH_REASON = re.compile(r"^#\s*type:\s*ignore\[[a-z0-9_-]+(?:\s*,\s*[a-z0-9_-]+)*\]\s*#\s*\S.{2,}$")


def bare_ignores(source: str) -> Iterator[tuple[int, str]]:
    """(line, comment) for each ``type: ignore`` comment in ``source`` without a code and a
    reason. Only comments count: the words inside a string are not an ignore."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and _IGNORE.search(token.string):
            if not _WITH_REASON.match(token.string.strip()):
                yield token.start[0], token.string.strip()


def main(argv: list[str]) -> int:
    folders = [Path(arg) for arg in argv] or [Path("app"), Path("screens")]
    found = 0
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            for line, comment in bare_ignores(path.read_text(encoding="utf-8")):
                print(f"{path}:{line}: a type: ignore needs its code and a reason after it: {comment}")
                found += 1
    if found:
        print(f"{found} type: ignore comment(s) without a reason (write: # type: ignore[code]  # why).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
