"""Chaos: an office and three team laptops (two on inspection X, one on Y) doing random work and
exchanging packages in random order — office↔laptop and laptop↔laptop, duplicates, stale and damaged
packages, imports cut short at every step — and at the end everything converges, nothing is lost,
nothing leaks out of a laptop's scope, and every refusal left the database byte for byte as it was.

CI runs a few fixed seeds; `XUNCHA_CHAOS_SEEDS=20 XUNCHA_CHAOS_STEPS=120` runs more on demand.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import ChangeEvent, Finding, Inspection, Petition, crypto
from app.services import auth
from app.services.accounts import AccountService
from app.services.errors import ServiceError
from app.services.fieldwork import PetitionService
from app.services.findings import FindingService
from app.services.inspections import InspectionService, InspectionUnitService, TeamService
from app.services.inspectors import InspectorService
from app.services.setup import open_database
from app.services.units import UnitService
from app.sync import exchange
from app.sync.exchange import AlreadyImportedError, SyncError, export_package, import_package
from app.sync.identity import ensure_identity
from app.sync.kit import export_team_kit, import_team_kit
from app.sync.package import PackageError

SEEDS = [int(s) for s in os.environ.get("XUNCHA_CHAOS_SEED_LIST", "").split(",") if s] or \
    list(range(int(os.environ.get("XUNCHA_CHAOS_SEEDS", "3"))))
STEPS = int(os.environ.get("XUNCHA_CHAOS_STEPS", "40"))
STEP_NAMES = ("validate", "authorize", "events", "blobs", "rows", "bookkeeping", "commit")
PW = "混沌测试的口令-2026"


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setattr(crypto, "KDF_PARAMS", {"name": "argon2id", "time_cost": 1, "memory_kib": 8 * 1024,
                                                "parallelism": 1})
    monkeypatch.setattr(auth, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))


def fingerprint_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        dump = "\n".join(line for line in conn.iterdump() if "sqlite_sequence" not in line)
    return hashlib.sha256(dump.encode()).hexdigest()


@dataclass
class Copy:
    name: str
    path: Path
    opened: object
    scope: str | None  # the inspection a laptop holds (None: the office, everything)
    me: object = None
    made: list[uuid.UUID] = field(default_factory=list)  # findings this copy's user wrote

    @property
    def db(self):
        return self.opened.db

    @property
    def ctx(self):
        return self.opened.ctx


class World:
    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.folder, self.rng = folder, rng
        path = folder / "office.sqlite3"
        system = open_database(path, create=True)
        ctx = system.ctx
        unit = UnitService(ctx).create(name="市财政局", kind="gov_dept")
        other_unit = UnitService(ctx).create(name="市审计局", kind="gov_dept")
        self.x = InspectionService(ctx).create(name="巡察市财政局", kind="regular", stage="fieldwork")
        self.y = InspectionService(ctx).create(name="巡察市审计局", kind="regular", stage="fieldwork")
        InspectionUnitService(ctx).create(inspection_id=self.x.id, unit_id=unit.id)
        InspectionUnitService(ctx).create(inspection_id=self.y.id, unit_id=other_unit.id)
        people = {}
        for key, inspection, post in (("lx", self.x, "leader"), ("m1", self.x, "member"), ("m2", self.x, "member"),
                                      ("ly", self.y, "leader"), ("m3", self.y, "member")):
            inspector = InspectorService(ctx).create(name=f"干部{key}")
            TeamService(ctx).create(inspection_id=inspection.id, inspector_id=inspector.id, role=post)
            role = "leader" if post == "leader" else "member"
            people[key] = AccountService(ctx).create_account(username=key, display_name=f"账户{key}", role=role,
                                                             password=PW, inspector_id=inspector.id)
        AccountService(ctx).create_account(username="admin", display_name="管理员", role="admin", password=PW)
        office_me = ensure_identity(system.db, name="巡察办")
        system.db.dispose()
        self.office = Copy("巡察办", path, open_database(path, password=PW, username="admin"), None, office_me)
        self.laptops = []
        for name, inspection, user in (("笔记本1", self.x, "m1"), ("笔记本2", self.x, "m2"), ("笔记本3", self.y, "m3")):
            kit = folder / f"{name}.xkit"
            export_team_kit(self.office.db, office_me, [str(inspection.id)], "工作包口令-2026", kit,
                            actor=self.office.ctx.actor, label=name)
            lpath = folder / f"{name}.sqlite3"
            fresh = open_database(lpath, create=True)
            import_team_kit(fresh.db, kit, "工作包口令-2026", fingerprint_confirmed=office_me.fingerprint)
            fresh.db.dispose()
            opened = open_database(lpath, password=PW, username=user)
            self.laptops.append(Copy(name, lpath, opened, str(inspection.id), ensure_identity(opened.db)))
        self.copies = [self.office, *self.laptops]
        self.packages: list[tuple[Copy, Path]] = []
        # Enrol every laptop, then let the office introduce them to each other.
        for laptop in self.laptops:
            self.deliver(self.send(laptop, self.office))
        for laptop in self.laptops:
            self.deliver(self.send(self.office, laptop))

    # --- exchange --------------------------------------------------------------------------------
    def known(self, a: Copy, b: Copy) -> bool:
        from app.models import SyncPeer

        with a.db.read() as session:
            return session.get(SyncPeer, b.me.site_id) is not None

    def send(self, a: Copy, b: Copy, everything: bool = False) -> tuple[Copy, Path]:
        path = self.folder / f"p{len(self.packages)}-{a.name}-{b.name}.xsync"
        export_package(a.db, a.me, b.me.site_id, path, everything=everything)
        self.packages.append((b, path))
        return b, path

    def deliver(self, package: tuple[Copy, Path]) -> str:
        receiver, path = package
        before = fingerprint_of(receiver.path)
        try:
            import_package(receiver.db, receiver.me, path)
        except AlreadyImportedError:
            assert fingerprint_of(receiver.path) == before, "a replay changed the database"
            return "replay"
        except SyncError as exc:
            # A package that assumes what this copy lacks (a gap) waits for a fuller one.
            assert fingerprint_of(receiver.path) == before, f"a refusal changed the database: {exc}"
            return "refused"
        self.check_scope(receiver)
        return "imported"

    # --- work ------------------------------------------------------------------------------------
    def work(self, copy: Copy) -> None:
        rng = self.rng
        try:
            if copy.scope is None:
                findings = FindingService(copy.ctx).list()
                if findings:
                    FindingService(copy.ctx).update(rng.choice(findings).id, severity=rng.choice(["general", "major"]))
                return
            inspection = uuid.UUID(copy.scope)
            roll = rng.random()
            if roll < 0.45 or not copy.made:
                made = FindingService(copy.ctx).create(inspection_id=inspection, title=f"{copy.name}的问题{rng.randrange(10**6)}",
                                                       facts="事实")
                copy.made.append(made.id)
            elif roll < 0.75:
                FindingService(copy.ctx).update(rng.choice(copy.made), title=f"{copy.name}改的标题{rng.randrange(100)}")
            elif roll < 0.85:
                FindingService(copy.ctx).delete(copy.made.pop(rng.randrange(len(copy.made))))
            else:
                PetitionService(copy.ctx).create(inspection_id=inspection, received_at=__import__("datetime").datetime.now(
                    __import__("datetime").UTC), channel="letter", content="来信", anonymous=True)
        except ServiceError:
            pass  # a row deleted meanwhile by a merge: the user would be told so

    # --- invariants ------------------------------------------------------------------------------
    def check_scope(self, copy: Copy) -> None:
        if copy.scope is None:
            return
        with copy.db.read() as session:
            held = set(session.scalars(select(Finding.inspection_id))) | set(session.scalars(select(Petition.inspection_id)))
            inspections = set(session.scalars(select(Inspection.id)))
        assert held <= {uuid.UUID(copy.scope)}, f"{copy.name} holds another inspection's records"
        assert inspections == {uuid.UUID(copy.scope)}, f"{copy.name} holds another inspection"

    def state(self, copy: Copy, inspection: uuid.UUID) -> dict:
        with copy.db.read() as session:
            rows = session.execute(select(Finding.id, Finding.title, Finding.severity, Finding.deleted_at,
                                          Finding.review_state).where(Finding.inspection_id == inspection)
                                   .order_by(Finding.id)).all()
            petitions = session.execute(select(Petition.id, Petition.deleted_at).where(Petition.inspection_id == inspection)
                                        .order_by(Petition.id)).all()
        return {"findings": [tuple(r) for r in rows], "petitions": [tuple(r) for r in petitions]}

    def close(self) -> None:
        for copy in self.copies:
            copy.db.dispose()


@pytest.mark.parametrize("seed", SEEDS)
def test_chaos(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    world = World(tmp_path, rng)
    try:
        outcomes: dict[str, int] = {}
        for _ in range(STEPS):
            action = rng.random()
            if action < 0.35:
                world.work(rng.choice(world.copies))
            elif action < 0.7:
                a, b = rng.sample(world.copies, 2)
                if world.known(a, b):
                    package = world.send(a, b)
                    if rng.random() < 0.7:
                        outcome = world.deliver(package)
                        outcomes[outcome] = outcomes.get(outcome, 0) + 1
            elif action < 0.8 and world.packages:
                # Any package again, late: stale or duplicate.
                outcome = world.deliver(rng.choice(world.packages))
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            elif action < 0.9 and world.packages:
                receiver, path = rng.choice(world.packages)
                damaged = tmp_path / f"damaged-{rng.randrange(10**6)}.xsync"
                data = bytearray(path.read_bytes())
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
                damaged.write_bytes(bytes(data))
                before = fingerprint_of(receiver.path)
                with pytest.raises(PackageError):
                    import_package(receiver.db, receiver.me, damaged)
                assert fingerprint_of(receiver.path) == before
            elif world.packages:
                receiver, path = rng.choice(world.packages)
                step = rng.choice(STEP_NAMES)

                def crash(name: str, step: str = step) -> None:
                    if name == step:
                        raise RuntimeError(f"crash at {name}")

                before = fingerprint_of(receiver.path)
                monkeypatch.setattr(exchange, "_checkpoint", crash)
                try:
                    import_package(receiver.db, receiver.me, path)
                except (RuntimeError, SyncError):
                    assert fingerprint_of(receiver.path) == before, f"a crash at {step} changed the database"
                finally:
                    monkeypatch.undo()
                    monkeypatch.setattr(crypto, "KDF_PARAMS", {"name": "argon2id", "time_cost": 1,
                                                                "memory_kib": 8 * 1024, "parallelism": 1})

        # Settle: every laptop and the office exchange until nothing new moves.
        for _ in range(3):
            for laptop in world.laptops:
                world.deliver(world.send(laptop, world.office))
            for laptop in world.laptops:
                world.deliver(world.send(world.office, laptop))
        for laptop in world.laptops:
            assert world.state(laptop, uuid.UUID(laptop.scope)) == world.state(world.office, uuid.UUID(laptop.scope)), \
                f"{laptop.name} did not converge with the office (seed {seed})"
            world.check_scope(laptop)
        # Nothing lost: every change any laptop made is in the office's log.
        with world.office.db.read() as session:
            at_office = set(session.scalars(select(ChangeEvent.id)))
        for laptop in world.laptops:
            with laptop.db.read() as session:
                mine = set(session.scalars(select(ChangeEvent.id).where(ChangeEvent.site_id == laptop.me.site_id)))
            assert mine <= at_office, f"changes of {laptop.name} never reached the office"
        # And the office's log proves itself.
        from app.services import audit

        report = audit.verify_chains(world.office.db)
        assert report.ok, [b.message for b in report.breaks]
    finally:
        world.close()
