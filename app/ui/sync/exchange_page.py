"""交换数据: export a package to a folder (the USB stick), import one with progress and cancel,
prepare a team kit for a new laptop, or load one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.context import ServiceContext

from ..tasks import TaskHandle, TaskRunner
from ..widgets.message_bar import MessageBar
from . import actions


# Module-level so tests can answer them without a dialog blocking the event loop.
def choose_folder(parent: QWidget, title: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title)


def choose_file(parent: QWidget, title: str, pattern: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, "", pattern)[0]


def choose_files(parent: QWidget, title: str, pattern: str) -> list[str]:
    return QFileDialog.getOpenFileNames(parent, title, "", pattern)[0]


def ask_text(parent: QWidget, title: str, prompt: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def ask_passphrase(parent: QWidget, title: str, prompt: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


class ExchangePage(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = TaskRunner(self)
        self.overview: actions.Overview | None = None
        self.running: TaskHandle | None = None

        self.identity = QLabel("正在读取本机信息…", self)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = MessageBar(self)

        export_box = QGroupBox("导出同步包（交给巡察办或其他笔记本）", self)
        self.receiver = QComboBox(export_box)
        self.everything = QCheckBox("导出全部（对方数据丢失或重装后使用）", export_box)
        self.export_button = QPushButton("导出到文件夹…(&E)", export_box)
        form = QFormLayout(export_box)
        form.addRow("接收方：", self.receiver)
        form.addRow("", self.everything)
        form.addRow("", self.export_button)

        import_box = QGroupBox("导入同步包", self)
        self.import_button = QPushButton("选择同步包并导入…(&I)", import_box)
        self.import_button.setToolTip("可一次选择多个同步包，每个单独导入，互不影响。")
        self.progress = QProgressBar(import_box)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("取消导入", import_box)
        self.cancel_button.setVisible(False)
        self.result = QLabel("", import_box)
        self.result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        box = QVBoxLayout(import_box)
        box.addLayout(row)
        box.addWidget(self.result)

        kit_box = QGroupBox("工作包（为巡察组笔记本准备数据）", self)
        self.kit_inspections = QListWidget(kit_box)
        self.kit_inspections.setMaximumHeight(110)
        self.kit_button = QPushButton("为所选巡察准备工作包…(&K)", kit_box)
        self.load_kit_button = QPushButton("在本机导入工作包…(&L)", kit_box)
        kit_layout = QVBoxLayout(kit_box)
        kit_layout.addWidget(QLabel("勾选本组笔记本需要的巡察：", kit_box))
        kit_layout.addWidget(self.kit_inspections)
        buttons = QHBoxLayout()
        buttons.addWidget(self.kit_button)
        buttons.addWidget(self.load_kit_button)
        buttons.addStretch(1)
        kit_layout.addLayout(buttons)

        self.peers = QLabel("", self)
        self.peers.setWordWrap(True)
        self.revoke_button = QPushButton("吊销接收方中所选的计算机…(&R)", self)
        self.revoke_button.setToolTip("笔记本丢失或被盗时：此后它的同步包和变更在各处一律不再接受（须为巡察办主库的管理员）。")
        layout = QVBoxLayout(self)
        layout.addWidget(self.identity)
        layout.addWidget(self.message)
        layout.addWidget(export_box)
        layout.addWidget(import_box)
        layout.addWidget(kit_box)
        layout.addWidget(self.peers)
        revoke_row = QHBoxLayout()
        revoke_row.addWidget(self.revoke_button)
        revoke_row.addStretch(1)
        layout.addLayout(revoke_row)
        layout.addStretch(1)

        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_package)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.kit_button.clicked.connect(self.prepare_kit)
        self.load_kit_button.clicked.connect(self.load_kit)
        self.revoke_button.clicked.connect(self.revoke)
        self.refresh()

    # --- state ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.tasks.run(lambda: actions.overview(self.ctx.db), self._show_overview, self.message.show_error, key="overview")

    def _show_overview(self, overview: actions.Overview) -> None:
        self.overview = overview
        me = overview.identity
        role = {"master": "巡察办（主库）", "laptop": "巡察组笔记本"}.get(me.role, me.role)
        scope = "全部数据" if overview.scope is None else f"{len(overview.scope)} 次巡察"
        self.identity.setText(
            f"本机：{me.name}　身份：{role}　数据范围：{scope}　本机变更 {overview.own_changes} 条\n"
            f"本机指纹：{me.fingerprint}（与对方核对时使用）　未处理的冲突：{overview.open_conflicts} 个"
        )
        self.receiver.clear()
        for peer in overview.peers:
            self.receiver.addItem(peer.name + ("（已吊销）" if peer.revoked else ""), peer)
        self.export_button.setEnabled(bool(overview.peers))
        self.revoke_button.setVisible(me.role == "master")
        self.revoke_button.setEnabled(bool(overview.peers))
        self.kit_inspections.clear()
        for inspection_id, name in overview.inspections:
            item = QListWidgetItem(name, self.kit_inspections)
            item.setData(Qt.ItemDataRole.UserRole, inspection_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.peers.setText(
            "已登记的计算机：" + ("；".join(f"{p.name}（{'已吊销，' if p.revoked else ''}指纹 {p.fingerprint}）"
                                       for p in overview.peers) or "暂无。导入工作包或对方的同步包后自动登记。")
        )

    # --- export --------------------------------------------------------------------------------
    def export(self) -> None:
        peer = self.receiver.currentData()
        if peer is None:
            self.message.show_warning("还没有已登记的接收方。")
            return
        folder = choose_folder(self, "选择导出位置（如U盘）")
        if not folder:
            return
        everything = self.everything.isChecked()
        self.export_button.setEnabled(False)
        self.tasks.run(lambda: actions.export_to_folder(self.ctx, peer, folder, everything), self._exported,
                       self._failed)

    def _exported(self, summary: Any) -> None:
        self.export_button.setEnabled(True)
        self.message.show_info(
            f"已导出 {summary.events} 条变更、{summary.blobs} 个附件到 {summary.path}（{max(1, summary.bytes // 1024)} KB）。"
            "请安全弹出U盘后再拔出。", 0
        )

    def revoke(self) -> None:
        peer = self.receiver.currentData()
        if peer is None:
            return
        reason = ask_text(self, "吊销计算机", f"吊销「{peer.name}」：此后它的同步包和变更一律不再接受，且不能撤销。\n请写明原因（如“笔记本丢失”）：")
        if not reason:
            return
        def revoked(copy: Any) -> None:
            self.message.show_info(f"已吊销「{copy.name}」。吊销记录会随同步传到其他计算机。", 0)
            self.refresh()

        self.tasks.run(lambda: actions.revoke_copy(self.ctx, peer, reason), revoked, self._failed)

    # --- import --------------------------------------------------------------------------------
    def import_package(self) -> None:
        paths = choose_files(self, "选择同步包（可多选）", "巡察同步包 (*.xsync);;所有文件 (*)")
        if not paths:
            return
        self._start_import(lambda progress: actions.import_files(self.ctx, paths, progress))

    def _start_import(self, job: Any) -> None:
        self._busy(True)
        self.result.setText("")
        self.running = self.tasks.run_with_progress(job, self._imported, self._failed, self._progressed)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def cancel_import(self) -> None:
        if self.running is not None:
            self.running.cancel()
            self.cancel_button.setEnabled(False)

    def _imported(self, result: Any) -> None:
        self._busy(False)
        if isinstance(result, list):
            self.result.setText(actions.outcomes_text(result))
            bad = [o for o in result if o.summary is None]
            if bad and len(bad) == len(result):
                self.message.show_error("没有导入任何同步包：" + bad[0].note)
            elif bad:
                self.message.show_warning(f"已导入 {len(result) - len(bad)} 个同步包，{len(bad)} 个未导入（见下方说明）。")
            else:
                self.message.show_info("导入完成。", 6000)
        else:
            self.result.setText(actions.summary_text(result))
            self.message.show_info("导入完成。", 6000)
        self.refresh()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.export_button.setEnabled(True)
        self.message.show_error(message)

    def _busy(self, busy: bool) -> None:
        self.import_button.setEnabled(not busy)
        self.load_kit_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)

    # --- kits ----------------------------------------------------------------------------------
    def checked_inspections(self) -> list[str]:
        return [
            self.kit_inspections.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.kit_inspections.count())
            if self.kit_inspections.item(i).checkState() == Qt.CheckState.Checked
        ]

    def prepare_kit(self) -> None:
        chosen = self.checked_inspections()
        if not chosen:
            self.message.show_warning("请先勾选工作包要包含的巡察。")
            return
        first = ask_passphrase(self, "设定工作包口令", "为工作包设定口令（至少8个字符，请当面告知组员）：")
        if not first:
            return
        if ask_passphrase(self, "确认口令", "请再输入一次口令：") != first:
            self.message.show_error("两次输入的口令不一致，工作包未生成。")
            return
        name = ask_text(self, "笔记本名称", "这台笔记本的名称（如“第一巡察组笔记本1”），各处以此称呼它：")
        if name is None:
            return
        folder = choose_folder(self, "选择工作包保存位置（如U盘）")
        if not folder:
            return
        self.tasks.run(lambda: actions.prepare_kit(self.ctx, chosen, first, folder, name), self._kit_ready, self._failed)

    def _kit_ready(self, summary: Any) -> None:
        self.message.show_info(
            f"工作包已写入 {summary.path}（{len(summary.inspections)} 次巡察，{summary.events} 条变更）。"
            f"导入时须在笔记本上核对巡察办指纹：{summary.master_fingerprint}", 0
        )
        self.refresh()

    def load_kit(self) -> None:
        path = choose_file(self, "选择工作包", "巡察工作包 (*.xkit);;所有文件 (*)")
        if not path:
            return
        try:
            shown = actions.kit_fingerprint(Path(path))
        except Exception as exc:  # noqa: BLE001 - a bad file: say why in one line
            self.message.show_error(getattr(exc, "message", str(exc)))
            return
        confirmed = ask_text(self, "核对巡察办指纹",
                             f"工作包上的巡察办指纹：\n{shown}\n\n请输入巡察办当面或电话告知的指纹（须完全一致）：")
        if not confirmed:
            return
        passphrase = ask_passphrase(self, "工作包口令", "请输入巡察办告知的工作包口令：")
        if not passphrase:
            return
        self._start_import(lambda progress: actions.load_kit(self.ctx, path, passphrase, confirmed, progress))
