"""The sync screens, driven by clicking: export to a folder, import with progress, cancel, kits,
and settling a conflict side by side."""

from __future__ import annotations

import time

import pytest
from conftest import World
from PySide6.QtCore import Qt

from app.services.context import Actor, ServiceContext
from app.services.findings import FindingService
from app.services.setup import open_database
from app.sync.identity import ensure_identity
from app.ui.sync import actions, exchange_page
from app.ui.sync.conflicts_page import ConflictsPage, SyncWindow
from app.ui.sync.exchange_page import ExchangePage

PASS = "一组口令-2026"


@pytest.fixture
def copies(tmp_path, monkeypatch):
    master = open_database(tmp_path / "master.sqlite3", create=True).db
    ensure_identity(master, name="市委巡察办")
    world = World(ServiceContext(master))
    finding = world.finding()
    laptop = open_database(tmp_path / "laptop.sqlite3", create=True).db
    ensure_identity(laptop, name="一组笔记本")
    stick = tmp_path / "usb"
    stick.mkdir()
    yield master, laptop, world, finding, stick
    master.dispose()
    laptop.dispose()


def _answers(monkeypatch, folder=None, file=None, passphrases=(), texts=()):
    queue, typed = list(passphrases), list(texts)
    monkeypatch.setattr(exchange_page, "choose_folder", lambda *a: str(folder) if folder else "")
    monkeypatch.setattr(exchange_page, "choose_file", lambda *a: str(file) if file else "")
    monkeypatch.setattr(exchange_page, "choose_files", lambda *a: [str(f) for f in (file if isinstance(file, list) else [file])] if file else [])
    monkeypatch.setattr(exchange_page, "ask_passphrase", lambda *a: queue.pop(0) if queue else None)
    monkeypatch.setattr(exchange_page, "ask_text", lambda *a, **k: typed.pop(0) if typed else None)


def _page(qtbot, db):
    page = ExchangePage(ServiceContext(db))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None, timeout=10_000)
    return page


def test_kit_export_import_and_conflict_resolution(qtbot, copies, monkeypatch):
    master, laptop, world, finding, stick = copies
    office = _page(qtbot, master)
    assert "市委巡察办" in office.identity.text() and "本机指纹" in office.identity.text()
    # The administrator ticks the inspection and prepares a kit on the stick.
    office.kit_inspections.item(0).setCheckState(Qt.CheckState.Checked)
    _answers(monkeypatch, folder=stick, passphrases=[PASS, PASS], texts=["一组笔记本"])
    qtbot.mouseClick(office.kit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: office.message.kind == "info", timeout=20_000)
    kit = next(stick.glob("*.xkit"))
    fingerprint = ensure_identity(master).fingerprint
    assert fingerprint in office.message.text()

    # The laptop loads it: a fingerprint that does not match the office's refuses the kit.
    team = _page(qtbot, laptop)
    _answers(monkeypatch, file=kit, passphrases=[PASS], texts=["0000-0000-0000"])
    qtbot.mouseClick(team.load_kit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: team.message.kind == "error", timeout=20_000)
    assert "指纹" in team.message.text() and "不一致" in team.message.text()
    _answers(monkeypatch, file=kit, passphrases=[PASS], texts=[fingerprint])
    qtbot.mouseClick(team.load_kit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "新增变更" in team.result.text(), timeout=20_000)
    qtbot.waitUntil(lambda: team.receiver.count() == 1, timeout=10_000)
    assert "巡察组笔记本" in team.identity.text()

    # Both edit the same finding; the laptop exports, the office imports and sees the conflict.
    FindingService(ServiceContext(laptop)).update(finding.id, title="笔记本上的标题")
    FindingService(ServiceContext(master)).update(finding.id, title="巡察办的标题")
    _answers(monkeypatch, folder=stick)
    qtbot.mouseClick(team.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已导出" in team.message.text(), timeout=20_000)
    package = next(stick.glob("*.xsync"))
    assert "市委巡察办" in package.name

    _answers(monkeypatch, file=package)
    qtbot.mouseClick(office.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "新增变更" in office.result.text(), timeout=20_000)
    assert "发现新冲突 1 个" in office.result.text()
    assert "一组笔记本" in office.result.text()  # enrolled with the kit's token

    page = ConflictsPage(ServiceContext(master))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=10_000)
    values = {page.versions.item(r, 0).text() for r in range(page.versions.rowCount())}
    assert values == {"笔记本上的标题", "巡察办的标题"}
    row = next(r for r in range(page.versions.rowCount()) if page.versions.item(r, 0).text() == "笔记本上的标题")
    page.versions.selectRow(row)
    qtbot.mouseClick(page.pick, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.list.count() == 0 and "没有未处理的冲突" in page.hint.text(), timeout=10_000)
    assert FindingService(ServiceContext(master)).get(finding.id).title == "笔记本上的标题"


def test_a_damaged_package_shows_a_message(qtbot, copies, monkeypatch):
    master, laptop, world, finding, stick = copies
    office = _page(qtbot, master)
    bad = stick / "bad.xsync"
    bad.write_bytes(b"XUNCHA-SYNC\n" + b"\x00" * 40)
    _answers(monkeypatch, file=bad)
    qtbot.mouseClick(office.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: office.message.kind == "error", timeout=10_000)
    assert "不完整或已损坏" in office.message.text()
    assert "Traceback" not in office.message.text()
    assert office.import_button.isEnabled()


def test_cancel_stops_an_import_and_changes_nothing(qtbot, copies, monkeypatch, tmp_path):
    master, laptop, world, finding, stick = copies
    from app.sync.kit import export_team_kit

    me = ensure_identity(master)
    export_team_kit(master, me, [str(world.inspection.id)], PASS, stick / "k.xkit", actor=Actor.system())
    real = actions.load_kit

    def slow(ctx, path, passphrase, confirmed, progress):
        deadline = time.monotonic() + 10
        while not progress.cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(ctx, path, passphrase, confirmed, progress)

    monkeypatch.setattr(actions, "load_kit", slow)
    team = _page(qtbot, laptop)
    _answers(monkeypatch, file=stick / "k.xkit", passphrases=[PASS], texts=[me.fingerprint])
    qtbot.mouseClick(team.load_kit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(team.cancel_button.isVisible, timeout=5_000)
    qtbot.mouseClick(team.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: team.message.kind == "error", timeout=20_000)
    assert "已取消" in team.message.text()
    assert FindingService(ServiceContext(laptop)).count() == 0


def test_sync_window_has_both_tabs(qtbot, copies):
    master, *_ = copies
    window = SyncWindow(ServiceContext(master))
    qtbot.addWidget(window)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["交换数据", "冲突处理"]


def test_main_window_opens_the_sync_window(qtbot, copies):
    from app.ui.main_window import MainWindow

    master, *_ = copies
    window = MainWindow(ServiceContext(master))
    qtbot.addWidget(window)
    window.sync_action.trigger()
    assert window._sync_window.isVisible()
    assert window._sync_window.windowTitle() == "数据同步"
    window._sync_window.close()


def test_the_office_revokes_a_lost_laptop_from_the_window(qtbot, copies, monkeypatch):
    master, laptop, world, finding, stick = copies
    from app.models import SyncPeer, utcnow

    lost = ensure_identity(laptop)
    with master.write() as session:
        session.add(SyncPeer(site_id=lost.site_id, name="丢失的笔记本", role="laptop", x25519_public=lost.x25519_public,
                             ed25519_public=lost.ed25519_public, added_at=utcnow(), trusted_via="enrollment", scope=[]))
    office = _page(qtbot, master)
    assert office.revoke_button.isVisible()
    _answers(monkeypatch, texts=["笔记本丢失"])
    qtbot.mouseClick(office.revoke_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已吊销" in office.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: "已吊销" in office.peers.text(), timeout=10_000)
