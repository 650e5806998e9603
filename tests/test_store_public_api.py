"""TinyDB is used only through its public API and extension points (issue 14).

The store once read ``db._tables`` and set ``table._next_id``; a TinyDB release may rename
either without notice, and a wrong id counter gives two records one id. This test reads
Tend's own source and fails on any use of an underscore attribute that TinyDB's objects
have (``_tables``, ``_next_id``, ``_storage``, ``_opened``, ``_query_cache`` and the private
methods of ``TinyDB``, ``Table``, ``Storage``, ``Middleware``, ``Query``) on anything but
``self`` or ``cls`` in a class of Tend's own. Subclassing (``TendStorage(Storage)``) and
the documented hooks (``storage=``, ``table_class``, ``document_class``) stay allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tinydb
import tinydb.middlewares
import tinydb.queries
import tinydb.storages
import tinydb.table

ROOT = Path(__file__).resolve().parents[1]
TINYDB_CLASSES = (
    tinydb.TinyDB,
    tinydb.table.Table,
    tinydb.table.Document,
    tinydb.storages.Storage,
    tinydb.storages.JSONStorage,
    tinydb.storages.MemoryStorage,
    tinydb.middlewares.Middleware,
    tinydb.middlewares.CachingMiddleware,
    tinydb.queries.Query,
    tinydb.queries.QueryInstance,
)


def tinydb_private_names() -> set[str]:
    """Every single-underscore name TinyDB's classes and objects carry."""
    names: set[str] = set()
    for cls in TINYDB_CLASSES:
        for klass in cls.__mro__:
            if klass.__module__.startswith("tinydb"):
                names |= set(vars(klass))
    db = tinydb.TinyDB(storage=tinydb.storages.MemoryStorage)
    table = db.table("probe")
    table.insert({"a": 1})
    names |= set(vars(db)) | set(vars(table)) | set(vars(tinydb.Query()))
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def private_uses(source: str, private: set[str]) -> list[tuple[int, str]]:
    """(line, text) of every ``something._name`` where ``_name`` is TinyDB's and
    ``something`` is not ``self`` or ``cls`` inside a class that is not a TinyDB subclass."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, own_class: bool) -> None:
        if isinstance(node, ast.ClassDef):
            bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
            own_class = not bases & {cls.__name__ for cls in TINYDB_CLASSES}
        if isinstance(node, ast.Attribute) and node.attr in private:
            on_self = isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}
            if not (on_self and own_class):
                found.append((node.lineno, ast.unparse(node)))
        for child in ast.iter_child_nodes(node):
            visit(child, own_class)

    visit(tree, True)
    return found


def test_the_probe_knows_the_attributes_that_were_used_before() -> None:
    private = tinydb_private_names()
    assert {"_tables", "_next_id", "_storage", "_read_table", "_update_table"} <= private


def test_the_check_catches_the_old_uses() -> None:
    private = tinydb_private_names()
    old = "class Store:\n    def f(self):\n        self.db._tables.clear()\n        self.db.table('x')._next_id = None\n"
    assert [text for _, text in private_uses(old, private)] == ["self.db._tables", "self.db.table('x')._next_id"]
    # A class of our own may have an attribute of the same name; a TinyDB subclass may not
    # touch its base's.
    assert private_uses("class Store:\n    def f(self):\n        return self._storage\n", private) == []
    sub = "class Mine(Table):\n    def f(self):\n        return self._next_id\n"
    assert private_uses(sub, private) == [(3, "self._next_id")]


def test_tend_uses_no_private_attribute_of_tinydb() -> None:
    private = tinydb_private_names()
    offences = []
    for path in sorted([*ROOT.glob("app/*.py"), *ROOT.glob("screens/*.py"), *ROOT.glob("benchmarks/*.py")]):
        for line, text in private_uses(path.read_text(encoding="utf-8"), private):
            offences.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert offences == []
