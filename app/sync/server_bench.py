"""The merge figures of `xuncha bench` on an office server: 10 laptop packages (200,000 change events)
merged into a copy of the server's benchmark database, then one of them imported again.

As on SQLite the copy is thrown away and the benchmark database stays as it was: the server copies it
with CREATE DATABASE … TEMPLATE (the database role needs CREATEDB for that; without it the merge
figures are left out, with the reason) and drops the copy after.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.models import Finding
from app.models.db import Database, server_engine_url

from .benchmark import EVENTS_PER_LAPTOP, LAPTOPS, build_laptop_packages, time_merge
from .identity import ensure_identity


def _admin_connection(url: str):
    """A connection to the server's maintenance database `postgres` as the same role: a database cannot
    be copied while anyone (this program included) is connected to it."""
    import psycopg

    target = make_url(server_engine_url(url))
    params: dict[str, Any] = {k: v for k, v in target.query.items() if isinstance(v, str)}
    return psycopg.connect(host=params.pop("host", target.host), port=target.port, user=target.username,
                           password=target.password, dbname="postgres", autocommit=True, **params)


def measure_server(url: str, progress: Callable[[str], None]
                   ) -> tuple[list[tuple[str, str, float, str, float | None]], str | None]:
    """(figures, None), or ([], why the merge could not be measured)."""
    target = make_url(server_engine_url(url))
    source = target.database
    scratch = f"{source}_merge_{uuid.uuid4().hex[:8]}"
    try:
        conn = _admin_connection(url)
    except Exception as exc:  # noqa: BLE001 - reported as the reason the figures are missing
        return [], f"无法连接服务器的 postgres 数据库以复制基准库：{str(exc).splitlines()[0]}"
    with conn:
        try:
            progress("在服务器上复制基准数据库用于合并测试（CREATE DATABASE … TEMPLATE）…")
            conn.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{source}"')
        except Exception as exc:  # noqa: BLE001
            return [], f"数据库用户无法复制基准库（需要 CREATEDB 权限，且基准库无其他连接）：{str(exc).splitlines()[0]}"
        try:
            return _merge_into(target.set(database=scratch).render_as_string(hide_password=False), progress), None
        finally:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _merge_into(url: str, progress: Callable[[str], None]) -> list[tuple[str, str, float, str, float | None]]:
    db = Database.open_url(url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            progress(f"生成 {LAPTOPS} 个笔记本同步包（共 {LAPTOPS * EVENTS_PER_LAPTOP} 条变更）…")
            packages = build_laptop_packages(db, Path(tmp), laptops=LAPTOPS, events_per_laptop=EVENTS_PER_LAPTOP)
            me = ensure_identity(db)
            progress("在服务器上合并…")
            merged, reimport = time_merge(db, me, packages.paths)
        with db.read() as session:
            total = session.scalar(select(func.count()).select_from(Finding))
        progress(f"合并后问题总数 {total}")
    finally:
        db.dispose()
    return [
        ("merge_10_packages", f"合并 {LAPTOPS} 个同步包（共 {packages.events / 1000:.0f}k 条变更，签名校验与逐条授权）",
         merged, "s", 20.0),
        ("reimport_merged_package", "重新导入已合并的同步包", reimport, "s", 2.0),
    ]
