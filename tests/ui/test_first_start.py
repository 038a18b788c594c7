"""The first start leads somewhere: the office creates its encrypted database (each step shown)
and its first inspection, a team laptop imports its kit, or the demo opens — and a refused value
is explained on the page, with nothing typed lost."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from app.models import crypto
from app.services.accounts import AccountService
from app.services.context import ServiceContext
from app.services.inspections import InspectionService, InspectionUnitService
from app.services.setup import open_database
from app.ui import first_start
from app.ui.first_start import FirstStartWizard

from .helpers import click, type_into

PASSWORD = "巡察办口令-2026-甲"


@pytest.fixture
def wizard(qtbot, tmp_path):
    w = FirstStartWizard(tmp_path / "office" / "xuncha.sqlite3")
    qtbot.addWidget(w)
    w.show()
    yield w
    w.tasks.wait(20_000)
    if w.opened is not None:
        w.opened.db.dispose()


def test_office_creates_its_database_and_first_inspection(qtbot, wizard):
    click(qtbot, wizard.choice.buttons["office"])
    account = wizard.step
    assert account.title == "创建管理员账户" and wizard.next_button.text() == "创建加密数据库"
    type_into(qtbot, account.password, PASSWORD)
    type_into(qtbot, account.confirm, PASSWORD + "x")
    click(qtbot, wizard.next_button)
    assert wizard.message.kind == "error" and "不一致" in wizard.message.text()
    assert not wizard.database_path.exists()
    type_into(qtbot, account.confirm, PASSWORD)
    click(qtbot, wizard.next_button)
    # Every step of creating the encrypted database is shown while it runs, then all ticked off.
    qtbot.waitUntil(lambda: "▶" in account.steps_label.text() or wizard.index == 1, timeout=20_000)
    qtbot.waitUntil(lambda: wizard.index == 1, timeout=30_000)
    lines = account.steps_label.text().splitlines()
    assert [line[0] for line in lines[:4]] == ["✓"] * 4 and "生成账户密钥" in lines[3]
    assert lines[4].startswith("已用时")
    assert crypto.is_encrypted(wizard.database_path) and crypto.keyfile_path(wizard.database_path).exists()
    assert not wizard.back_button.isEnabled()  # the database exists now: no way back to the choice

    step = wizard.step
    type_into(qtbot, step.name, "市委第一巡察组巡察市财政局党组")
    type_into(qtbot, step.team_name, "市委第一巡察组")
    type_into(qtbot, step.round_name, "十二届市委第一轮巡察")
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.message.kind == "error", timeout=10_000)
    assert "被巡察单位" in wizard.message.text()
    assert step.name.text() == "市委第一巡察组巡察市财政局党组"  # nothing to type again
    type_into(qtbot, step.units, "市财政局\n市审计局\n市财政局")
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    ctx = wizard.opened.ctx
    assert ctx.actor.username == "admin" and wizard.opened.authenticated
    inspection = InspectionService(ctx).get(wizard.created_inspection_id)
    assert inspection.name == "市委第一巡察组巡察市财政局党组" and inspection.stage == "plan"
    assert inspection.round_id is not None
    assert InspectionUnitService(ctx).count(inspection_id=inspection.id) == 2


def test_creating_the_database_names_each_step_while_it_runs(qtbot, wizard, monkeypatch):
    """Each step is held until the page has shown it as the running one: the label names 派生密钥…,
    建立数据表…, 写入基础数据…, 生成账户密钥… in that order, the form stays responsive meanwhile, and
    the database made opens with the password and not with another."""
    import threading

    from app.models.account_keys import SealingKey
    from app.services import keyring, setup
    from app.services.auth import AuthError

    gates = {step: threading.Event() for step in setup.CREATE_STEPS}
    started: list[str] = []

    def held(step: str, real):
        def run(*args, **kwargs):
            started.append(step)
            assert gates[step].wait(20), f"the page never showed {step}"
            return real(*args, **kwargs)
        return run

    monkeypatch.setattr(SealingKey, "derive", staticmethod(held("derive", SealingKey.derive)))
    monkeypatch.setattr(setup, "_open_and_upgrade", held("schema", setup._open_and_upgrade))
    monkeypatch.setattr(setup, "load_reference_data", held("reference", setup.load_reference_data))
    monkeypatch.setattr(keyring, "provision", held("account", keyring.provision))

    click(qtbot, wizard.choice.buttons["office"])
    account = wizard.step
    type_into(qtbot, account.password, PASSWORD)
    type_into(qtbot, account.confirm, PASSWORD)
    click(qtbot, wizard.next_button)

    def running() -> str:
        return next((line[2:] for line in account.steps_label.text().splitlines() if line.startswith("▶")), "")

    for step, name in zip(setup.CREATE_STEPS, ("派生密钥…", "建立数据表…", "写入基础数据…", "生成账户密钥…"), strict=True):
        qtbot.waitUntil(lambda name=name: running() == name, timeout=20_000)
        # No second creation, and no typing into a form that is no longer what is being made.
        assert not wizard.next_button.isEnabled() and not account.password.isEnabled()
        gates[step].set()
    qtbot.waitUntil(lambda: wizard.index == 1, timeout=30_000)
    assert started == list(setup.CREATE_STEPS)
    wizard.opened.db.dispose()
    wizard.opened = None
    path = wizard.database_path
    with pytest.raises(AuthError):
        open_database(path, password=PASSWORD + "x")
    with pytest.raises(setup.PasswordRequiredError):
        open_database(path)
    reopened = open_database(path, password=PASSWORD)
    assert reopened.authenticated and reopened.actor.username == "admin" and reopened.encrypted
    reopened.db.dispose()


def test_demo_opens_a_city_of_its_own_and_reuses_it(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(first_start, "DEMO_SIZES", {"seed": 3, "units": 6, "findings": 40, "interviews": 12})
    real = tmp_path / "real.sqlite3"
    for attempt in range(2):
        w = FirstStartWizard(real)
        qtbot.addWidget(w)
        w.show()
        click(qtbot, w.choice.buttons["demo"])
        click(qtbot, w.next_button)
        qtbot.waitUntil(lambda w=w: w.result() == QDialog.DialogCode.Accepted, timeout=30_000)
        assert w.is_demo and w.database_path == first_start.demo_database_path()
        assert InspectionService(w.opened.ctx).count() > 0
        # The first time the city is generated; the second time the same file is opened again.
        assert ("演示数据已生成" in w.flows["demo"][0].status.text()) == (attempt == 0)
        w.opened.db.dispose()
    assert not real.exists()  # the real database is still to be created


def test_a_team_laptop_imports_its_kit(qtbot, tmp_path, answers, monkeypatch):
    from app.services.context import Actor
    from app.sync.identity import ensure_identity
    from app.sync.kit import export_team_kit
    from tests.conftest import World

    master = open_database(tmp_path / "master.sqlite3", create=True).db
    me = ensure_identity(master, name="市委巡察办")
    world = World(ServiceContext(master))
    accounts = AccountService(world.ctx)
    accounts.create_account(username="guanli", display_name="王管理", role="admin", password="管理员的口令-2026-乙")
    accounts.create_account(username="qian", display_name="钱文静", role="member", password="钱的口令-2026-甲",
                            inspector_id=world.member_a.id)
    kit = tmp_path / "一组.xkit"
    export_team_kit(master, me, [str(world.inspection.id)], "一组口令-2026", kit, actor=Actor.system(),
                    label="一组笔记本")
    master.dispose()

    w = FirstStartWizard(tmp_path / "laptop" / "xuncha.sqlite3")
    qtbot.addWidget(w)
    w.show()
    click(qtbot, w.choice.buttons["laptop"])
    step = w.step
    answers.open_path = str(kit)
    step._browse()
    assert step.kit_path.text() == str(kit)

    def attempt(passphrase: str, fingerprint: str, username: str, password: str) -> None:
        for edit, text in ((step.passphrase, passphrase), (step.fingerprint, fingerprint), (step.username, username),
                           (step.password, password)):
            edit.clear()
            type_into(qtbot, edit, text)
        click(qtbot, w.next_button)

    attempt("yizu-wrong", me.fingerprint, "guanli", "管理员的口令-2026-乙")
    qtbot.waitUntil(lambda: w.message.kind == "error", timeout=30_000)
    assert "口令" in w.message.text() and not w.database_path.exists()
    # A kit whose fingerprint is not the one the office read out is not imported.
    attempt("一组口令-2026", "1A2B-3C4D-5E6F-7A8B-9C0D", "guanli", "管理员的口令-2026-乙")
    qtbot.waitUntil(lambda: "指纹" in w.message.text(), timeout=30_000)
    assert not w.database_path.exists()
    # Only the office's administrator prepares a laptop.
    attempt("一组口令-2026", me.fingerprint, "qian", "钱的口令-2026-甲")
    qtbot.waitUntil(lambda: "只有管理员" in w.message.text(), timeout=30_000)
    assert not w.database_path.exists()
    derived: list[int] = []
    real_derive = crypto.derive_key
    monkeypatch.setattr(crypto, "derive_key", lambda *a, **k: (derived.append(1), real_derive(*a, **k))[1])
    attempt("一组口令-2026", me.fingerprint.lower(), "guanli", "管理员的口令-2026-乙")
    qtbot.waitUntil(lambda: w.index == 1, timeout=30_000)
    assert len(derived) == 1  # the import's login is the laptop's login: the password's key derived once
    monkeypatch.setattr(crypto, "derive_key", real_derive)
    assert "市委巡察办" in w.step.text.text() and "指纹" in w.step.text.text()
    click(qtbot, w.next_button)
    assert w.result() == QDialog.DialogCode.Accepted
    ctx = w.opened.ctx
    assert ctx.actor.username == "guanli"
    assert [i.name for i in InspectionService(ctx).list()] == [world.inspection.name]
    assert crypto.is_encrypted(w.database_path)
    w.opened.db.dispose()
    # The team's member logs in on the laptop with their own password, and sees their team's work.
    member = open_database(w.database_path, password="钱的口令-2026-甲", username="qian")
    assert [i.name for i in InspectionService(member.ctx).list()] == [world.inspection.name]
    member.db.dispose()


def test_the_wizard_is_a_list_of_steps_another_can_join(qtbot, wizard):
    class ProfileStep(first_start.WizardStep):
        title = "机关信息"
        visited = False

        def commit(self) -> None:
            ProfileStep.visited = True
            self.wizard.step_done()

    wizard.insert_step("office", 1, ProfileStep(wizard))
    assert [type(s).__name__ for s in wizard.flows["office"]] == ["AccountStep", "ProfileStep", "FirstInspectionStep"]
    click(qtbot, wizard.choice.buttons["office"])
    type_into(qtbot, wizard.step.password, PASSWORD)
    type_into(qtbot, wizard.step.confirm, PASSWORD)
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.index == 1, timeout=30_000)
    assert wizard.heading.text() == "机关信息"
    click(qtbot, wizard.next_button)
    assert ProfileStep.visited and type(wizard.step).__name__ == "FirstInspectionStep"
    click(qtbot, wizard.step.skip_button)  # the first inspection can wait
    assert wizard.result() == QDialog.DialogCode.Accepted and wizard.created_inspection_id is None

