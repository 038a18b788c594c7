"""`xuncha bench`'s re-key figure: disabling an account on an encrypted copy of the bench database.

DESIGN.md: "re-keying it after an account is disabled < 60 s; with progress". The encrypted copy is
made once from the plain bench database (`sqlcipher_export`, with an administrator and the account
to disable) and kept beside it in the cache, named after it (so after its schema revision). Each run
copies it (the file's bytes, flushed to disk: the baseline, a pass over the same bytes with no
cryptography), then disables the account through AccountService as the CLI and the window do, and
removes the copy.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from app.models import crypto
from app.models.db import Database
from app.models.enums import UserRole

from .accounts import AccountService
from .benchmark import Figure
from .context import ServiceContext
from .setup import open_database

REKEY_BUDGET_S = 60.0
ADMIN, LEAVER = "admin", "leaver"
_ADMIN_PASSWORD, _LEAVER_PASSWORD = "基准测试-更换密钥-2026", "基准测试-离开者-2026"


def encrypted_copy_path(plain: Path) -> Path:
    return plain.with_name(f"{plain.stem}-encrypted{plain.suffix}")


def ensure_encrypted_copy(plain: Path, progress: Callable[[str], None] = lambda _m: None) -> Path:
    """The bench database's encrypted copy with its key file, built once (about a minute for the
    1.5 GB database: the export and its checks) beside a partial name and moved into place."""
    target = encrypted_copy_path(plain)
    if target.exists() and crypto.keyfile_path(target).exists():
        progress(f"复用加密的基准测试数据库 {target}")
        return target
    progress(f"生成加密的基准测试数据库 {target.name}（一次）…")
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, *crypto.companion_files(partial)):
        leftover.unlink(missing_ok=True)
    key = crypto.new_key()
    crypto.export_encrypted(plain, None, partial, key)
    db = Database.open_path(partial, key=key)
    try:
        crypto.KeyFile(crypto.keyfile_path(partial)).save()
        accounts = AccountService(ServiceContext(db))
        accounts.create_account(username=ADMIN, display_name="基准管理员", role=UserRole.ADMIN, password=_ADMIN_PASSWORD)
        accounts.create_account(username=LEAVER, display_name="调离人员", role=UserRole.MEMBER, password=_LEAVER_PASSWORD)
    finally:
        db.dispose()
    # The key file first: a database without it is rebuilt, never half-used.
    os.replace(crypto.keyfile_path(partial), crypto.keyfile_path(target))
    os.replace(partial, target)
    return target


def rekey_figures(plain: Path, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    """Disabling an account on the encrypted bench copy (wall and CPU seconds, one run: each costs
    tens of seconds), beside copying the same file's bytes in the same run."""
    source = ensure_encrypted_copy(plain, progress)
    work = source.with_name(f".rekey-{os.getpid()}{source.suffix}")
    progress("测量停用账户后更换数据库密钥…")
    try:
        copy_s = _copy_flushed(source, work)
        opened = open_database(work, username=ADMIN, password=_ADMIN_PASSWORD)
        try:
            accounts = AccountService(opened.ctx)
            leaver = next(u for u in accounts.accounts() if u.username == LEAVER)
            started, cpu = time.perf_counter(), time.process_time()
            accounts.deactivate(leaver.id, progress=_quarters(progress))
            wall_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
        finally:
            opened.db.dispose()
    finally:
        for leftover in (work, *crypto.companion_files(work)):
            leftover.unlink(missing_ok=True)
    return [
        Figure("rekey", "停用账户后更换数据库密钥（加密的10万问题数据库）", wall_s, "s", REKEY_BUDGET_S),
        Figure("rekey_cpu", "　其中 CPU 时间（各线程合计）", cpu_s, "s", None),
        Figure("rekey_copy_baseline", "　复制同一加密文件并写入磁盘（基线）", copy_s, "s", None),
        Figure("rekey_ratio_copy", "　更换密钥 ÷ 复制文件（比值）", wall_s / copy_s if copy_s else float("nan"), "×", None),
    ]


def _copy_flushed(source: Path, target: Path) -> float:
    started = time.perf_counter()
    shutil.copyfile(crypto.keyfile_path(source), crypto.keyfile_path(target))
    shutil.copyfile(source, target)
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())
    return time.perf_counter() - started


def _quarters(progress: Callable[[str], None]) -> Callable[[int, int], None]:
    shown = [-1]

    def report(done: int, total: int) -> None:
        quarter = done * 4 // max(total, 1)
        if quarter > shown[0]:
            shown[0] = quarter
            progress(f"更换密钥 {quarter * 25}%")

    return report
