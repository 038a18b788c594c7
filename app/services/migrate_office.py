"""Moving the office's master database from a SQLite file to a PostgreSQL server.

`xuncha migrate --from office.sqlite3 --to postgresql://…` copies every row of every table — the
copy's identity and keys (site id and site signing key in `settings`), accounts with their sealed
keys, the change log, the signed batches, the heads other copies signed, peers and revocations,
issued documents with their stored files, attachments — into an empty server database whose schema
the same Alembic revisions created. Nothing is re-derived but the keyword index (the server's
triggers fill it as the records arrive). Both sides are then checked by `audit verify` (every chain,
signature and replay) and by row counts, table by table; the copy is one transaction on the server,
so a failure leaves it empty. Laptops keep syncing unchanged: they know the office by its site id
and key, which moved with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from app.models import Base
from app.models.db import Database, display_url, is_server_url
from app.models.migrate import schema_state
from app.models.search_index import SearchDoc

from . import audit
from .context import ServiceContext
from .errors import ServiceError

# Derived on the server by its own triggers; copying it would only be overwritten.
_DERIVED = {SearchDoc.__tablename__}
_CHUNK = 5_000


class MigrateError(ServiceError):
    pass


@dataclass
class MigrateReport:
    source: str
    target: str
    tables: dict[str, int] = field(default_factory=dict)
    events: int = 0
    sites: int = 0
    seconds: float = 0.0
    source_verified: audit.VerifyReport | None = None
    target_verified: audit.VerifyReport | None = None


def _copy_order() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in _DERIVED]


def _require_empty_target(conn: Connection) -> None:
    for table in ("users", "inspections", "change_events", "settings", "units"):
        if conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None:  # noqa: S608 - fixed names
            raise MigrateError(f"服务器上的数据库已有数据（{table} 表不是空的）：迁移只写入新建的空数据库，"
                               "以免两份主库混在一起。请新建一个空数据库再迁移。")


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    """Every row, converted by the column types on both sides (UUIDs, UTC times, JSON as orjson's
    compact text, so a migrated row is byte-identical in what the change log hashed)."""
    columns = [c.name for c in table.columns]
    binds = [table.c[c].type._cached_bind_processor(target.dialect) for c in columns]
    raw = target.connection.dbapi_connection
    assert raw is not None
    count = 0
    result = source.execute(select(table).order_by(*table.primary_key.columns)).yield_per(_CHUNK)
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor: Any = raw.cursor()  # psycopg's: a context manager with COPY, which DB-API's type does not know
    with cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in result:
            copy.write_row([v if p is None or v is None else p(v) for v, p in zip(row, binds, strict=True)])
            count += 1
    return count


def _reset_sequences(target: Connection) -> None:
    """Integer keys the server numbers itself (serial columns) continue after the copied rows."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            seq = target.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                 {"t": table.name, "c": column.name}).scalar()
            if seq:
                target.execute(text(f'SELECT setval(:s, coalesce((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'),  # noqa: S608
                               {"s": seq})


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0) for t in _copy_order()}


def migrate_office(source_ctx: ServiceContext, target_url: str, *,
                   progress: Callable[[str], None] = lambda _m: None) -> MigrateReport:
    """Copy the master database `source_ctx` is open on into the empty server database `target_url`."""
    source_ctx.require_admin("迁移主库到服务器")
    source = source_ctx.db
    if not source.is_sqlite:
        raise MigrateError("迁移的来源须是主库的数据库文件（SQLite）。")
    if not is_server_url(target_url):
        raise MigrateError(f"迁移的目标须是 PostgreSQL 数据库地址（postgresql://用户@主机/数据库），不是 {target_url}")
    started = time.perf_counter()
    report = MigrateReport(source=source.location, target=display_url(target_url))
    progress("校验来源数据库的变更记录…")
    report.source_verified = audit.verify_chains(source)
    if not report.source_verified.ok:
        raise MigrateError("来源数据库的变更记录校验未通过，未迁移：" + report.source_verified.breaks[0].message)
    target = Database.open_url(target_url)
    try:
        state = schema_state(target.engine)
        if state.is_newer_than_app:
            raise MigrateError(f"服务器上的数据库由更新版本创建（结构版本 {state.current}），未迁移。")
        if state.current != source.schema_state().current:
            progress("在服务器上建立数据库结构…")
            target.upgrade()
        with source.engine.connect() as src, target.engine.begin() as dst:
            _require_empty_target(dst)
            # Rows arrive parent before child; the keyword index fills itself through the triggers.
            for table in _copy_order():
                progress(f"复制 {table.name}…")
                report.tables[table.name] = _copy_table(src, dst, table)
            _reset_sequences(dst)
            dst.execute(text("ANALYZE"))
        progress("核对行数…")
        before, after = _counts(source), _counts(target)
        differ = [name for name in before if before[name] != after.get(name)]
        if differ:
            raise MigrateError(f"迁移后行数不符：{differ[0]}（来源 {before[differ[0]]}，服务器 {after.get(differ[0])}）")
        progress("校验服务器上的变更记录…")
        report.target_verified = audit.verify_chains(target)
        if not report.target_verified.ok:
            raise MigrateError("服务器上的变更记录校验未通过：" + report.target_verified.breaks[0].message)
        mine = {(s.site_id, s.last_seq, s.last_hash) for s in report.source_verified.sites}
        theirs = {(s.site_id, s.last_seq, s.last_hash) for s in report.target_verified.sites}
        if mine != theirs:
            raise MigrateError("服务器上的变更链与来源不一致，迁移结果不可用。")
        report.events = report.target_verified.events
        report.sites = len(report.target_verified.sites)
    finally:
        target.dispose()
    report.seconds = time.perf_counter() - started
    return report


def source_path(value: str | Path) -> Path:
    path = Path(value)
    if not path.exists():
        raise MigrateError(f"来源数据库文件不存在：{path}")
    return path


def describe(report: MigrateReport) -> list[str]:
    lines = [f"已把主库从 {report.source} 迁移到 {report.target}，用时 {report.seconds:.1f} 秒。"]
    lines += [f"  {name}: {count}" for name, count in report.tables.items() if count]
    lines.append(f"变更记录 {report.events} 条、{report.sites} 条变更链：来源与服务器两边 audit verify 均校验通过，链尾一致。")
    lines.append("本机的站点标识和签名密钥已随主库迁移：笔记本照常与服务器上的主库交换同步包。")
    return lines
