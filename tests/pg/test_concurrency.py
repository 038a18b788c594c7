"""Eight workstations on one PostgreSQL master at once: issuing document numbers, editing the same
findings and importing laptops' packages. No number is shared or skipped, no edit is lost (each
worker's read-modify-write goes through the optimistic check and retries when refused), a package
imported by two workstations at once counts once, and every change chain and signed batch verifies."""

from __future__ import annotations

import multiprocessing
import re

from conftest import World

from app.models.db import Database
from app.services import audit
from app.services.context import Actor, ServiceContext
from app.services.findings import FindingService
from app.services.setup import open_database
from app.sync.identity import ensure_identity

WORKERS = 8
NUMBERS_EACH = 12
EDITS_EACH = 6
PASS = "巡察一组-2026"
NUMBER = re.compile(r"^(.+)〔(\d{4})〕(\d+)号$")


def _worker(url: str, index: int, finding_ids: list[str], package: str | None, out) -> None:
    from app.services.documents import issue_number
    from app.services.errors import StaleEditError
    from app.sync.exchange import AlreadyImportedError, import_package

    db = Database.open_url(url)
    ctx = ServiceContext(db)
    result: dict = {"index": index, "numbers": [], "edits": [], "retries": 0, "imported": None}
    try:
        service = FindingService(ctx)
        for k in range(max(NUMBERS_EACH, EDITS_EACH)):
            if k < NUMBERS_EACH:
                result["numbers"].append(issue_number(ctx, "市委巡", 2026))
            if k < EDITS_EACH:
                finding_id = finding_ids[(index + k) % len(finding_ids)]
                token = f"[w{index}-{k}]"
                while True:
                    seen = service.get(finding_id)
                    try:
                        service.update(finding_id, expected={"facts": seen.facts}, facts=seen.facts + token)
                        break
                    except StaleEditError:
                        result["retries"] += 1
                result["edits"].append((finding_id, token))
        if package is not None:
            me = ensure_identity(db)
            try:
                result["imported"] = import_package(db, me, package).new_events
            except AlreadyImportedError:
                result["imported"] = 0
        out.put(result)
    except BaseException as exc:  # noqa: BLE001 - the parent reports what went wrong in the worker
        out.put({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        db.dispose()


def _laptop_package(db, me, world, folder, name, titles):
    from app.sync.exchange import export_package
    from app.sync.kit import export_team_kit, import_team_kit

    kit = folder / f"{name}.xkit"
    export_team_kit(db, me, [str(world.inspection.id)], PASS, kit, actor=Actor.system())
    laptop = open_database(folder / f"{name}.sqlite3", create=True).db
    try:
        import_team_kit(laptop, kit, PASS, fingerprint_confirmed=me.fingerprint)
        lid = ensure_identity(laptop)
        for title in titles:
            FindingService(ServiceContext(laptop)).create(inspection_id=world.inspection.id, title=title,
                                                          facts=f"{title}，笔记本上记录。")
        path = folder / f"{name}.xsync"
        export_package(laptop, lid, me.site_id, path)
    finally:
        laptop.dispose()
    return path


def test_eight_workstations_at_once(pg_url, tmp_path):
    db = open_database(pg_url).db
    try:
        me = ensure_identity(db, name="市委巡察办")
        world = World(ServiceContext(db))
        findings = [world.finding(title=f"问题{i}", facts=f"事实{i}") for i in range(3)]
        packages = [_laptop_package(db, me, world, tmp_path, f"laptop{i}", [f"笔记本{i}的问题甲", f"笔记本{i}的问题乙"])
                    for i in range(2)]
    finally:
        db.dispose()
    ids = [str(f.id) for f in findings]
    # Workers 0 and 1 import laptop 0's package at the same time; worker 2 imports laptop 1's.
    plan = {0: packages[0], 1: packages[0], 2: packages[1]}
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    procs = [spawn.Process(target=_worker, args=(pg_url, i, ids, str(plan[i]) if i in plan else None, queue))
             for i in range(WORKERS)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [r["error"] for r in results if "error" in r]
    assert not errors, errors
    assert all(p.exitcode == 0 for p in procs)

    # Numbers: every one used exactly once, none skipped.
    numbers = [n for r in results for n in r["numbers"]]
    assert sorted(int(NUMBER.match(n).group(3)) for n in numbers) == list(range(1, WORKERS * NUMBERS_EACH + 1))

    db = open_database(pg_url).db
    try:
        ctx = ServiceContext(db)
        # Edits: every token any worker wrote is in the finding's text (nothing overwritten).
        for finding_id in ids:
            facts = FindingService(ctx).get(finding_id).facts
            wanted = [token for r in results for fid, token in r["edits"] if fid == finding_id]
            assert wanted and all(facts.count(token) == 1 for token in wanted), (facts, wanted)
        # The package two workstations imported at once counts once; both laptops' findings arrived.
        imported = {r["index"]: r["imported"] for r in results if r["index"] in plan}
        assert sorted([imported[0], imported[1]])[0] == 0 and max(imported[0], imported[1]) > 0
        titles = {f.title for f in FindingService(ctx).list()}
        assert {"笔记本0的问题甲", "笔记本0的问题乙", "笔记本1的问题甲", "笔记本1的问题乙"} <= titles
        # The change log: every chain intact, every batch signature and the replay against the tables.
        report = audit.verify_chains(db)
        assert report.ok, [b.message for b in report.breaks]
        assert report.events >= WORKERS * EDITS_EACH
    finally:
        db.dispose()
