"""A private PostgreSQL server for the tests: initdb into a temporary folder, `pg_ctl start` on a unix
socket in that folder (no TCP port), stopped at the end of the session.

PostgreSQL refuses to run as root; CI runs as root, so the server's processes then run as the
`postgres` account Debian's package creates, and the folder is handed to it. The cluster is made with
`C.UTF-8` so pg_trgm counts Chinese characters as word characters, as on an office server set up
with a UTF-8 locale (the README's set-up does the same). Durability is switched off: the data is
thrown away.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import time
import uuid
from pathlib import Path

SUPERUSER = "xuncha_test"


def find_bin(name: str) -> str | None:
    """The PostgreSQL 15 program (Debian keeps it out of PATH), or any version's as a fallback."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: (not p.startswith("/usr/lib/postgresql/15/"), p))
    if candidates:
        return candidates[0]
    return shutil.which(name)


def available() -> bool:
    return find_bin("initdb") is not None and find_bin("pg_ctl") is not None


class PgServer:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.socket = self.folder / "socket"
        self._as_postgres = os.geteuid() == 0

    def _run(self, args: list[str]) -> subprocess.CompletedProcess:
        kwargs: dict = {"capture_output": True, "text": True, "timeout": 120}
        if self._as_postgres:
            account = pwd.getpwnam("postgres")
            kwargs["user"], kwargs["group"] = account.pw_uid, account.pw_gid
            kwargs["extra_groups"] = []
            kwargs["cwd"] = str(self.folder)
        result = subprocess.run(args, **kwargs)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr or result.stdout}")
        return result

    def start(self) -> PgServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.socket.mkdir(exist_ok=True)
        if self._as_postgres:
            account = pwd.getpwnam("postgres")
            for path in (self.folder, self.socket):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run([find_bin("initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                   "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = (f"-k {self.socket} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=60 -c shared_buffers=64MB")
        self._run([find_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"),
                   "-w", "-t", "60", "start"])
        return self

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(RuntimeError):
                self._run([find_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)

    @classmethod
    def in_new_folder(cls) -> PgServer:
        """A server in a folder of its own directly under the system's temporary folder: pytest makes
        its own base folder private (0700) whenever a pytest process starts, which would lock the
        `postgres` account out of a folder inside it."""
        import tempfile

        return cls(Path(tempfile.mkdtemp(prefix="xuncha-pg-", dir="/tmp" if os.path.isdir("/tmp") else None)))

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@/{database}?host={self.socket}"

    def admin_connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(host=str(self.socket), user=SUPERUSER, dbname=database, autocommit=True)

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        name = name or "t_" + uuid.uuid4().hex[:12]
        with self.admin_connect() as conn:
            suffix = f" TEMPLATE {template}" if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin_connect() as conn:
            for _ in range(50):
                try:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    return
                except Exception:  # noqa: BLE001 - a connection still closing; try again shortly
                    time.sleep(0.1)
