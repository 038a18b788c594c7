"""Resolving a conflict on one copy leaves every copy with the same open conflicts."""

from __future__ import annotations

from app.services.context import ServiceContext
from app.services.units import UnitService
from app.sync.conflicts import list_conflicts, resolve_field
from app.sync.exchange import export_package, import_package

from .helpers import clone, introduce, unit_ids


def _swap(a, b, folder, tag):
    for (src_db, src), (dst_db, dst) in ((a, b), (b, a)):
        path = folder / f"{tag}-{src.name}.xsync"
        export_package(src_db, src, dst.site_id, path)
        import_package(dst_db, dst, path)


def _open(db) -> set[tuple]:
    return {(c.kind, c.field or "", tuple(v.event_id for v in c.versions)) for c in list_conflicts(db)}


def test_resolving_an_edit_of_a_deleted_row_settles_the_delete_conflict_everywhere(template, tmp_path):
    a = clone(template, tmp_path / "a.sqlite3", "甲")
    b = clone(template, tmp_path / "b.sqlite3", "乙")
    introduce([a, b])
    row = unit_ids(a[0])[0]
    UnitService(ServiceContext(a[0])).update(row, address="东风路1号")
    UnitService(ServiceContext(b[0])).update(row, address="人民路88号")
    UnitService(ServiceContext(a[0])).delete(row)
    _swap(a, b, tmp_path, "first")
    kinds = {c.kind for c in list_conflicts(a[0])}
    assert kinds == {"field", "delete"} and _open(a[0]) == _open(b[0])

    # 甲 settles the address; that edit was made knowing the row is deleted, and it replaced
    # 乙's address, the only edit that competed with the delete.
    resolve_field(ServiceContext(a[0]), "units", str(row), "address", "东风路1号")
    assert list_conflicts(a[0]) == []
    _swap(a, b, tmp_path, "second")
    assert list_conflicts(b[0]) == [] and list_conflicts(a[0]) == []
    a[0].dispose()
    b[0].dispose()
