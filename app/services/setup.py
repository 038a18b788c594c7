"""Opening a database for use: schema upgrade and reference data, with messages for the user."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

from app.models.db import Database, DatabaseError
from app.models.migrate import SchemaTooNewError

from .context import ServiceContext
from .errors import ServiceError
from .reference import load_reference_data


class OpenError(ServiceError):
    pass


@dataclass(frozen=True)
class Opened:
    db: Database
    created: bool
    upgraded: bool


def open_database(path: str | Path, *, create: bool = False) -> Opened:
    """Open (or, when asked, create) a database file and bring it up to this version.

    A database from a newer version is refused untouched; an older one is upgraded in place.
    """
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    if not existed and not create:
        raise OpenError(f"数据库文件不存在：{path}。请先运行“xuncha --db {path} init”创建。")
    try:
        db = Database.open_path(path, create=True)
        state = db.schema_state()
        if state.is_newer_than_app:
            db.dispose()
            raise OpenError(
                f"该数据库由更新版本的巡察工作台创建（结构版本 {state.current}），本版本无法打开。请升级软件。"
            )
        upgraded = state.needs_upgrade
        if upgraded:
            db.upgrade()
        load_reference_data(ServiceContext(db))
    except (SchemaTooNewError, DatabaseError) as exc:
        raise OpenError(str(exc)) from exc
    except SQLAlchemyDatabaseError as exc:
        raise OpenError(f"无法打开数据库 {path}：文件已损坏或不是巡察工作台数据库（{exc.orig}）。") from exc
    return Opened(db=db, created=not existed, upgraded=upgraded and existed)
