"""`xuncha --self-test`: prove an installation works, without a display and without touching user data.

Run by the installer's smoke test on the frozen bundle and by a user or support person on a laptop
(`xuncha-cli.exe --self-test` on Windows). In a temporary folder it

1. creates a database (Alembic migrations loaded from disk, reference data from resources/),
   writes a record through the services and reads it back;
2. renders an official document with the shipped fonts only and checks the PDF has pages and
   embedded TrueType fonts;
3. when the build has encryption at rest, writes and reads an SQLCipher file with an Argon2id key.

Exit status 0 when all pass; otherwise 1 with a one-line reason on stderr. Qt-free on purpose: it
checks what every command needs, and runs where no display exists.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

SELFTEST_UNIT = "自检测试单位"


class SelfTestError(Exception):
    """A check failed; the message is the one-line reason shown to the user."""


def _check_database(workdir: Path) -> str:
    from app.models.enums import UnitKind
    from app.services.context import ServiceContext
    from app.services.reference import LIST_FILES, items
    from app.services.setup import open_database
    from app.services.units import UnitService

    path = workdir / "selftest.sqlite3"
    opened = open_database(path, create=True)
    db = opened.db
    try:
        state = db.schema_state()
        if state.current != state.head:
            raise SelfTestError(f"schema is at {state.current}, expected {state.head}")
        ctx = ServiceContext(db)
        empty = [kind for kind in LIST_FILES if not items(ctx, kind)]
        if empty:
            raise SelfTestError(f"reference data did not load: no {', '.join(empty)} (resources/reference?)")
        reference_count = sum(len(items(ctx, kind)) for kind in LIST_FILES)
        units = UnitService(ctx)
        created = units.create(name=SELFTEST_UNIT, kind=UnitKind.TOWNSHIP, notes="自检")
        back = units.get(created.id)
        if back.name != SELFTEST_UNIT or back.kind != UnitKind.TOWNSHIP:
            raise SelfTestError(f"record read back differs: {back.name!r} {back.kind!r}")
        if units.count(name=SELFTEST_UNIT) != 1:
            raise SelfTestError("record written through the services was not found by a query")
        problems = db.integrity_problems()
        if problems:
            raise SelfTestError(f"database integrity: {problems[0]}")
        return (f"database: schema {state.head}, {reference_count} reference items, "
                f"unit written and read back")
    finally:
        db.dispose()


def _check_demo_words(_workdir: Path) -> str:
    """The demo the first-start wizard offers composes its records from resources/demo."""
    from app.services import demo

    tables = demo._load_phrases()
    if len(tables) < 10 or not tables.get("finding_templates"):
        raise SelfTestError("the demo's phrase tables are missing (resources/demo?)")
    return f"demo words: {len(tables)} phrase tables"


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_FONT_FILE = re.compile(rb"/FontFile2\s+\d+\s+\d+\s+R")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([A-Z]{6}\+[^\s/>\[]+)")  # subset fonts: ABCDEF+Name


def _check_pdf(workdir: Path) -> str:
    from app.reports import render_kind, samples
    from app.reports.fonts import FontSet, Role, bundled_font_dir

    fonts = FontSet.bundled()
    folder = bundled_font_dir()
    for role in Role:
        face = fonts.faces[role]
        if not face.path.is_file():
            raise SelfTestError(f"bundled font missing: {face.path}")
    out = workdir / "selftest.pdf"
    result = render_kind(samples.notice(), out, fonts=fonts)
    data = out.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise SelfTestError(f"{out.name} is not a complete PDF ({len(data)} bytes)")
    pages = len(_PAGE.findall(data))
    if result.page_count < 1 or pages != result.page_count:
        raise SelfTestError(f"PDF has {pages} page objects, renderer reported {result.page_count}")
    embedded = len(_FONT_FILE.findall(data))
    names = sorted({m.decode("latin-1").split("+", 1)[1] for m in _BASE_FONT.findall(data)})
    if embedded == 0 or not names:
        raise SelfTestError("PDF has no embedded fonts")
    report = result.font_report
    for role_report in report.roles.values():
        if Path(role_report.path).parent.resolve() != folder.resolve():
            raise SelfTestError(f"{role_report.role.value} font came from {role_report.path}, not the bundle")
    if report.missing_chars:
        raise SelfTestError(f"characters missing from the bundled fonts: {report.missing_chars}")
    return f"pdf: {pages} pages, {embedded} embedded fonts ({', '.join(names)}), {len(data) // 1024} KiB"


def _check_encryption(workdir: Path) -> str | None:
    """SQLCipher, Argon2id and AES-GCM: the native parts behind encrypted databases (app/models/crypto.py).

    Exercised directly, so that a bundle missing one of them fails here rather than at a user's
    first login. Skipped in a build that has no encryption at rest."""
    if importlib.util.find_spec("app.models.crypto") is None:
        return None
    from argon2.low_level import Type, hash_secret_raw
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from sqlcipher3 import dbapi2

    key = hash_secret_raw(b"selftest", b"xuncha-selftest!", time_cost=1, memory_cost=8 * 1024, parallelism=1,
                          hash_len=32, type=Type.ID)
    nonce = bytes(12)
    if AESGCM(key).decrypt(nonce, AESGCM(key).encrypt(nonce, b"ok", None), None) != b"ok":
        raise SelfTestError("AES-GCM round trip failed")
    path = workdir / "selftest-encrypted.sqlite3"
    pragma = f"PRAGMA key = \"x'{key.hex()}'\""
    conn = dbapi2.connect(str(path))
    try:
        conn.execute(pragma)
        version = conn.execute("PRAGMA cipher_version").fetchone()
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", (SELFTEST_UNIT,))
        conn.commit()
    finally:
        conn.close()
    if path.read_bytes()[:16] == b"SQLite format 3\x00":
        raise SelfTestError("SQLCipher wrote a plain SQLite file: the database would not be encrypted")
    conn = dbapi2.connect(str(path))
    try:
        conn.execute(pragma)
        value = conn.execute("SELECT v FROM t").fetchone()
    finally:
        conn.close()
    if value != (SELFTEST_UNIT,):
        raise SelfTestError(f"encrypted database read back {value!r}")
    cipher = version[0] if version else "unknown version"
    return f"encryption: SQLCipher {cipher} file written and read back; Argon2id and AES-GCM work"


def _check_helper_process(workdir: Path) -> str:
    """A large sync import checks event hashes in a helper process (app/sync/hashcheck.py): a
    frozen build must be able to start one, and it must give the same verdict as in line."""
    import json

    from app.eventhash import MISMATCH, event_hash
    from app.sync.hashcheck import HashCheck

    event = {"id": "00000000-0000-7000-8000-000000000001", "site_id": "00000000-0000-7000-8000-000000000000",
             "seq": 1, "hlc": "001790000000000:000000", "table_name": "units",
             "row_id": "00000000-0000-7000-9000-000000000001", "op": "insert", "fields": {"name": SELFTEST_UNIT},
             "supersedes": [], "schema_version": "selftest", "author_id": None, "author_name": None,
             "recorded_at": "2026-01-01T00:00:00+00:00", "prev_hash": "0" * 64}
    event["hash"] = event_hash(event)
    edited = {**event, "fields": {"name": "改过"}}
    verdicts = []
    for events in ([event], [event, edited]):
        check = HashCheck(events, json.dumps({"events": events}, ensure_ascii=False).encode(), helper_from=1)
        if not check.parallel:
            check.close()
            raise SelfTestError("could not start a helper process (large sync imports would use one core)")
        verdicts.append(check.verdict())
    if verdicts != [None, (MISMATCH, event["id"])]:
        raise SelfTestError(f"the helper process gave {verdicts!r}")
    return "helper process: started, and found the edited event"


CHECKS: tuple[Callable[[Path], str | None], ...] = (
    _check_database, _check_pdf, _check_encryption, _check_helper_process, _check_demo_words,
)


def run(workdir: Path | None = None, report: Callable[[str], None] | None = None) -> list[str]:
    """Run every check, in a temporary folder unless given one. Returns one line per check that
    ran (each also handed to `report` as soon as it passes); raises SelfTestError on the first failure."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="xuncha-selftest-", ignore_cleanup_errors=True) as tmp:
        folder = Path(workdir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for check in CHECKS:
            name = check.__name__.removeprefix("_check_")
            try:
                line = check(folder)
            except SelfTestError as exc:
                raise SelfTestError(f"{name}: {exc}") from exc
            except Exception as exc:  # any crash is a failed check, reported in one line
                reason = " ".join(str(exc).split()) or type(exc).__name__
                raise SelfTestError(f"{name}: {type(exc).__name__}: {reason}") from exc
            if line is not None:
                lines.append(line)
                if report is not None:
                    report(line)
    return lines


def _say(stream: TextIO | None, line: str) -> None:
    # A windowed Windows build has no stdout/stderr at all; an odd console code page cannot
    # encode every character. Neither may turn a passing self-test into a crash.
    if stream is None:
        return
    try:
        stream.write(line + "\n")
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(line.encode(encoding, "backslashreplace").decode(encoding) + "\n")
    stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    from app import __version__
    from app.paths import resources_dir

    started = time.perf_counter()
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    _say(sys.stdout, f"xuncha {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, "
                     f"{sys.platform}); resources: {resources_dir()}")
    try:
        run(report=lambda line: _say(sys.stdout, f"ok  {line}"))
    except SelfTestError as exc:
        _say(sys.stderr, f"self-test failed: {exc}")
        return 1
    _say(sys.stdout, f"self-test passed in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
