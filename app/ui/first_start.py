"""The first start: a short wizard that leads somewhere.

It asks what this computer is for, then walks one of three paths:

- **巡察办（主库）**: create the administrator and the encrypted database (showing each step, with
  the time taken), then the first round and inspection, with its units typed by name;
- **巡察组笔记本**: import the team kit the office prepared (the existing kit import, into a new
  encrypted database whose key is wrapped for the account logging in), then show the office's
  fingerprint to compare in person;
- **先看看演示数据**: a demo database of a fictional city in a file of its own, never mixed with
  real data (the next start offers the wizard again).

Each path is a list of steps (`WizardStep`), so another step can be put in without touching the
others: `wizard.insert_step("office", 1, ProfileStep(wizard))` adds the organization profile after
the account is created. A step checks its input and does its work in `commit` (off the UI thread),
then calls `step_done()`, or `step_failed(message)` leaving everything typed in place.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import InspectionKind, UnitKind
from app.paths import user_data_dir
from app.services.auth import DEFAULT_ADMIN_USERNAME, PasswordPolicyError, check_password_policy
from app.services.setup import CREATE_STEPS, DEFAULT_ADMIN_NAME, Opened

from . import dialogs, i18n
from .i18n import translate
from .tasks import Progress, TaskRunner
from .widgets.choice_combo import ChoiceCombo
from .widgets.fields import optional_date_edit, read_optional
from .widgets.look import scale_css
from .widgets.message_bar import MessageBar

OFFICE, LAPTOP, DEMO = "office", "laptop", "demo"
DEMO_FILE = "xuncha-demo.sqlite3"
DEMO_SIZES = {"seed": 7, "units": 16, "findings": 600, "interviews": 160}


def demo_database_path() -> Path:
    """Where “先看看演示数据” keeps its city: beside, never inside, the real database."""
    return user_data_dir() / DEMO_FILE


class WizardStep(QWidget):
    """One page of a path. `title` heads the page; `next_text` names the button that commits it."""

    title = ""
    next_text = ""

    def __init__(self, wizard: FirstStartWizard) -> None:
        super().__init__(wizard)
        self.wizard = wizard
        # Once a step has written something (a database exists), going back would strand it.
        self.can_go_back = True

    def entered(self) -> None:
        """The page is shown (again)."""

    def commit(self) -> None:
        """Check the input and do the work; call `step_done()` or `step_failed(message)`."""
        self.wizard.step_done()

    def layout_with_intro(self, intro: str) -> QVBoxLayout:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        label.setObjectName("intro")
        layout.addWidget(label)
        return layout


# --- choosing a path -----------------------------------------------------------------------------
class ChoicePage(QWidget):
    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(translate("FirstStart", "欢迎使用巡察工作台。请选择这台电脑的用途："), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.buttons: dict[str, QCommandLinkButton] = {}
        for key, title, detail in (
            (OFFICE, translate("FirstStart", "这台电脑是巡察办的（主库）"),
             translate("FirstStart", "创建管理员账户和加密数据库，再建立第一轮巡察和第一次巡察。以后在巡察办工作台中"
                                     "组建巡察组、为各组笔记本准备工作包、汇总数据。")),
            (LAPTOP, translate("FirstStart", "这台电脑是巡察组的笔记本"),
             translate("FirstStart", "导入巡察办准备的工作包（.xkit 文件，及巡察办当面告知的口令），用您在巡察办开设的"
                                     "账户登录。")),
            (DEMO, translate("FirstStart", "先看看演示数据"),
             translate("FirstStart", "打开一个虚构城市的演示数据库，随意试用；它单独存放，不会与正式数据混在一起。"
                                     "下次启动时仍可选择上面两项。")),
        ):
            button = QCommandLinkButton(title, detail, self)
            button.setObjectName(f"choose_{key}")
            button.clicked.connect(lambda _c=False, key=key: self.chosen.emit(key))
            self.buttons[key] = button
            layout.addWidget(button)
        layout.addStretch(1)


# --- 巡察办: account and database ----------------------------------------------------------------
class AccountStep(WizardStep):
    """The administrator and the encrypted database, each step of the creation shown as it runs."""

    title = ""

    def __init__(self, wizard: FirstStartWizard) -> None:
        super().__init__(wizard)
        self.title = translate("FirstStart", "创建管理员账户")
        self.next_text = translate("FirstStart", "创建加密数据库")
        layout = self.layout_with_intro(translate(
            "FirstStart", "数据将加密保存在本机。密码是打开数据的唯一钥匙，遗失后无法找回，请牢记并妥善保管；"
                          "其他人员的账户以后在“安全 → 账户管理”中开设。"))
        form = QFormLayout()
        self.username = QLineEdit(DEFAULT_ADMIN_USERNAME, self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(DEFAULT_ADMIN_NAME, self)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(translate("FirstStart", "用户名："), self.username)
        form.addRow(translate("FirstStart", "姓名："), self.display_name)
        form.addRow(translate("FirstStart", "密码："), self.password)
        form.addRow(translate("FirstStart", "确认密码："), self.confirm)
        layout.addLayout(form)
        self.steps_label = QLabel(self)
        self.steps_label.setObjectName("steps")
        self.steps_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.steps_label)
        layout.addStretch(1)
        # One line each: ✓ done, ▶ running (named with "…"), ○ still to come.
        self._step_names = {
            "derive": translate("FirstStart", "派生密钥"),
            "schema": translate("FirstStart", "建立数据表"),
            "reference": translate("FirstStart", "写入基础数据"),
            "account": translate("FirstStart", "生成账户密钥"),
        }
        self._current = -1
        self._started = 0.0
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._show_steps)
        self._show_steps()  # what will happen, before it does

    def entered(self) -> None:
        self.password.setFocus()

    def commit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username:
            self.wizard.step_failed(translate("FirstStart", "请输入用户名。"), self.username)
            return
        if password != self.confirm.text():
            self.wizard.step_failed(translate("FirstStart", "两次输入的密码不一致。"), self.confirm)
            return
        try:
            check_password_policy(password, username=username)
        except PasswordPolicyError as exc:
            self.wizard.step_failed(exc.message, self.password)
            return
        from app.services.setup import create_encrypted

        path, name = self.wizard.database_path, self.display_name.text().strip() or None
        self._current, self._started = 0, time.monotonic()
        self._clock.start()
        self._show_steps()
        self._fields_enabled(False)  # what is typed now would not be what the database is made with

        def work(progress: Progress) -> Opened:
            def say(step: str) -> None:
                progress.report(CREATE_STEPS.index(step), len(CREATE_STEPS))

            return create_encrypted(path, password=password, username=username, display_name=name, progress=say)

        def done(opened: Opened) -> None:
            self._clock.stop()
            self._current = len(CREATE_STEPS)
            self._show_steps()
            self.password.clear()
            self.confirm.clear()
            self.can_go_back = False
            self.wizard.opened = opened
            self.wizard.step_done()

        def failed(message: str) -> None:
            self._clock.stop()
            self._current, self._started = -1, 0.0
            self._show_steps()
            self._fields_enabled(True)
            self.wizard.step_failed(message, self.password)

        self.wizard.tasks.run_with_progress(work, done, failed, self._progressed)

    def _fields_enabled(self, enabled: bool) -> None:
        for w in (self.username, self.display_name, self.password, self.confirm):
            w.setEnabled(enabled)

    def _progressed(self, done: int, _total: int) -> None:
        self._current = done
        self._show_steps()

    def _show_steps(self) -> None:
        lines = []
        for n, step in enumerate(CREATE_STEPS):
            mark = "✓" if n < self._current else ("▶" if n == self._current else "○")
            lines.append(f"{mark} {self._step_names[step]}{'…' if n == self._current else ''}")
        if self._started:
            seconds = time.monotonic() - self._started
            lines.append(translate("FirstStart", "已用时 {s:.0f} 秒").format(s=seconds))
        self.steps_label.setText("\n".join(lines))


# --- 巡察办: the first round and inspection ------------------------------------------------------
class FirstInspectionStep(WizardStep):
    def __init__(self, wizard: FirstStartWizard) -> None:
        super().__init__(wizard)
        self.title = translate("FirstStart", "第一次巡察")
        self.next_text = translate("FirstStart", "创建巡察并进入工作台")
        layout = self.layout_with_intro(translate(
            "FirstStart", "填写要开展的第一次巡察；被巡察单位每行一个，会同时登记到单位名录。其余（组建巡察组、"
                          "人才库、更多单位）可在“视图 → 巡察办工作台”中继续。也可以跳过，以后再建。"))
        form = QFormLayout()
        today = dt.date.today()
        self.round_name = QLineEdit(self)
        self.round_name.setPlaceholderText(translate("FirstStart", "如：十二届市委第一轮巡察（可不填）"))
        self.round_year = QSpinBox(self)
        self.round_year.setRange(2000, 2100)
        self.round_year.setValue(today.year)
        self.name = QLineEdit(self)
        self.name.setObjectName("inspectionName")
        self.name.setPlaceholderText(translate("FirstStart", "如：市委第一巡察组巡察市财政局党组"))
        self.kind = ChoiceCombo(self)
        self.kind.set_choices([(k, v) for k, v in i18n.labels(InspectionKind).items() if k != InspectionKind.FOLLOW_UP])
        self.team_name = QLineEdit(self)
        self.team_name.setPlaceholderText(translate("FirstStart", "如：市委第一巡察组"))
        self.start = self._date_edit()
        self.end = self._date_edit()
        self.units = QPlainTextEdit(self)
        self.units.setObjectName("unitNames")
        self.units.setPlaceholderText(translate("FirstStart", "市财政局\n市审计局"))
        self.units.setMaximumHeight(90)
        self.unit_kind = ChoiceCombo(self)
        self.unit_kind.set_choices(list(i18n.labels(UnitKind).items()))
        self.unit_kind.set_key(UnitKind.GOV_DEPT.value)
        round_row = QHBoxLayout()
        round_row.addWidget(self.round_name, 1)
        round_row.addWidget(self.round_year)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(translate("FirstStart", "至"), self))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form.addRow(translate("FirstStart", "巡察轮次："), round_row)
        form.addRow(translate("FirstStart", "巡察名称："), self.name)
        form.addRow(translate("FirstStart", "巡察类型："), self.kind)
        form.addRow(translate("FirstStart", "巡察组："), self.team_name)
        form.addRow(translate("FirstStart", "进驻至结束："), dates)
        form.addRow(translate("FirstStart", "被巡察单位："), self.units)
        form.addRow(translate("FirstStart", "单位类别："), self.unit_kind)
        layout.addLayout(form)
        self.skip_button = QPushButton(translate("FirstStart", "跳过，以后再建"), self)
        self.skip_button.clicked.connect(self.wizard.finish)
        skip_row = QHBoxLayout()
        skip_row.addStretch(1)
        skip_row.addWidget(self.skip_button)
        layout.addLayout(skip_row)
        layout.addStretch(1)
        self.can_go_back = False

    def _date_edit(self) -> QDateEdit:
        return optional_date_edit(self, translate("FirstStart", "未定"))

    @staticmethod
    def _date(edit: QDateEdit) -> dt.date | None:
        return read_optional(edit)

    def entered(self) -> None:
        self.name.setFocus()

    def commit(self) -> None:
        from app.services.first_start import start_first_inspection

        opened = self.wizard.opened
        if opened is None:
            self.wizard.step_failed(translate("FirstStart", "数据库尚未创建。"))
            return
        ctx = opened.ctx
        values: dict[str, Any] = {
            "name": self.name.text(), "kind": self.kind.key(), "team_name": self.team_name.text() or None,
            "start_date": self._date(self.start), "end_date": self._date(self.end),
            "unit_names": self.units.toPlainText().splitlines(), "unit_kind": self.unit_kind.key(),
            "round_name": self.round_name.text(), "round_year": self.round_year.value(),
        }
        widgets = {"name": self.name, "end_date": self.end, "unit_names": self.units, "kind": self.kind}

        def done(inspection: Any) -> None:
            self.wizard.created_inspection_id = inspection.id
            self.wizard.step_done()

        def failed(message: str) -> None:
            self.wizard.step_failed(message, widgets.get(getattr(message, "field", "") or ""))

        self.wizard.tasks.run(lambda: start_first_inspection(ctx, **values), done, failed)


# --- 巡察组笔记本: the kit -----------------------------------------------------------------------
class KitStep(WizardStep):
    def __init__(self, wizard: FirstStartWizard) -> None:
        super().__init__(wizard)
        self.title = translate("FirstStart", "导入工作包")
        self.next_text = translate("FirstStart", "导入")
        layout = self.layout_with_intro(translate(
            "FirstStart", "请选择巡察办准备的工作包，输入巡察办当面告知的口令和指纹，以及巡察办管理员的账户"
                          "（笔记本由巡察办管理员准备）。本机数据库将加密保存；组员此后用各自的账户和密码登录。"))
        form = QFormLayout()
        self.kit_path = QLineEdit(self)
        self.kit_path.setObjectName("kitPath")
        self.kit_path.setPlaceholderText(translate("FirstStart", "巡察工作包_….xkit"))
        browse = QPushButton(translate("FirstStart", "选择…"), self)
        browse.clicked.connect(self._browse)
        kit_row = QHBoxLayout()
        kit_row.addWidget(self.kit_path, 1)
        kit_row.addWidget(browse)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setPlaceholderText(translate("FirstStart", "如 1A2B-3C4D-5E6F-7A8B-9C0D"))
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(translate("FirstStart", "工作包文件："), kit_row)
        form.addRow(translate("FirstStart", "工作包口令："), self.passphrase)
        form.addRow(translate("FirstStart", "巡察办指纹："), self.fingerprint)
        form.addRow(translate("FirstStart", "用户名："), self.username)
        form.addRow(translate("FirstStart", "密码："), self.password)
        layout.addLayout(form)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        layout.addStretch(1)

    def _browse(self) -> None:
        path = dialogs.open_file_path(self, translate("FirstStart", "选择工作包"),
                                      translate("FirstStart", "巡察工作包 (*.xkit);;所有文件 (*)"))
        if path:
            self.kit_path.setText(path)

    def commit(self) -> None:
        from app.services.context import Actor
        from app.services.setup import created_for_import, opened_after_import
        from app.sync.kit import import_team_kit

        kit, passphrase = self.kit_path.text().strip(), self.passphrase.text()
        username, password = self.username.text().strip(), self.password.text()
        fingerprint = self.fingerprint.text().strip()
        for value, widget, message in (
            (kit, self.kit_path, translate("FirstStart", "请选择工作包文件。")),
            (passphrase, self.passphrase, translate("FirstStart", "请输入工作包口令。")),
            (fingerprint, self.fingerprint, translate("FirstStart", "请输入巡察办当面或电话告知的指纹。")),
            (username, self.username, translate("FirstStart", "请输入用户名。")),
            (password, self.password, translate("FirstStart", "请输入密码。")),
        ):
            if not value:
                self.wizard.step_failed(message, widget)
                return
        if not Path(kit).is_file():
            self.wizard.step_failed(translate("FirstStart", "找不到工作包文件：{path}").format(path=kit), self.kit_path)
            return
        path = self.wizard.database_path

        def work(progress: Progress) -> tuple[Opened, Any]:
            actors: list[Actor] = []
            with created_for_import(path, username=username, password=password, admin_only=True,
                                    logged_in=actors.append) as db:
                summary = import_team_kit(db, Path(kit), passphrase, fingerprint_confirmed=fingerprint,
                                          progress=lambda d, t, _m: progress.report(d, t), cancelled=progress.cancelled)
            # Already logged in by the import (one key derivation): the database stays open.
            return opened_after_import(db, actors[0]), summary

        def done(result: tuple[Opened, Any]) -> None:
            self.progress.setVisible(False)
            self.wizard.opened, self.wizard.kit_summary = result
            self.can_go_back = False
            self.password.clear()
            self.wizard.step_done()

        def failed(message: str) -> None:
            self.progress.setVisible(False)
            self.wizard.step_failed(message)

        def progressed(done_: int, total: int) -> None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done_)

        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.wizard.tasks.run_with_progress(work, done, failed, progressed)


class KitCheckStep(WizardStep):
    """What was imported, and the office's fingerprint to compare with the one read out in person."""

    def __init__(self, wizard: FirstStartWizard) -> None:
        super().__init__(wizard)
        self.title = translate("FirstStart", "核对巡察办指纹")
        self.next_text = translate("FirstStart", "进入工作台")
        self.can_go_back = False
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def entered(self) -> None:
        summary = self.wizard.kit_summary
        if summary is None:
            return
        from app.ui.sync.actions import summary_text

        trusted = "；".join(summary.newly_trusted or [])
        self.text.setText(translate("FirstStart", "工作包已导入。\n\n{summary}\n\n请与巡察办当面核对：{trusted}\n"
                                                  "指纹不一致时不要使用本机数据，请联系巡察办。").format(
            summary=summary_text(summary), trusted=trusted))


# --- 演示数据 ------------------------------------------------------------------------------------
class _Say(QObject):
    said = Signal(str)


class DemoStep(WizardStep):
    def __init__(self, wizard: FirstStartWizard) -> None:
        super().__init__(wizard)
        self.title = translate("FirstStart", "演示数据")
        self.next_text = translate("FirstStart", "打开演示数据")
        layout = self.layout_with_intro(translate(
            "FirstStart", "将在 {path} 生成一个虚构城市三年的巡察数据（单位、巡察组、谈话、问题台账、公文……），"
                          "只需几秒钟。它与正式数据库分开存放；正式使用时，下次启动选择“巡察办”或“巡察组笔记本”。"
        ).format(path=demo_database_path()))
        self.status = QLabel(self)
        self.status.setObjectName("status")
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._say = _Say(self)
        self._say.said.connect(self.status.setText)

    def commit(self) -> None:
        path, say = demo_database_path(), self._say.said.emit

        def work() -> Opened:
            from app.services.demo import generate_demo
            from app.services.inspections import InspectionService
            from app.services.setup import open_database

            say(translate("FirstStart", "正在准备演示数据库…"))
            opened = open_database(path, create=True)
            if not InspectionService(opened.ctx).count(include_deleted=True):
                generate_demo(opened.db, progress=say, **DEMO_SIZES)
            return opened

        def done(opened: Opened) -> None:
            self.wizard.opened = opened
            self.wizard.database_path = path
            self.wizard.is_demo = True
            self.can_go_back = False
            self.wizard.step_done()

        def failed(message: str) -> None:
            self.status.setText("")
            self.wizard.step_failed(message)

        self.wizard.tasks.run(work, done, failed)


# --- the wizard ----------------------------------------------------------------------------------
class FirstStartWizard(QDialog):
    """Ends accepted with `opened` (the database, logged in) and `database_path`; rejected when the
    user quits before anything was created."""

    def __init__(self, database_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("FirstStart", "巡察工作台 — 首次使用"))
        self.setMinimumSize(620, 520)
        self.database_path = Path(database_path)
        self.opened: Opened | None = None
        self.kit_summary: Any = None
        self.created_inspection_id: Any = None
        self.is_demo = False
        self.flow: str | None = None
        self.index = -1
        self.tasks = TaskRunner(self)
        self.flows: dict[str, list[WizardStep]] = {
            OFFICE: [AccountStep(self), FirstInspectionStep(self)],
            LAPTOP: [KitStep(self), KitCheckStep(self)],
            DEMO: [DemoStep(self)],
        }

        self.heading = QLabel(translate("FirstStart", "首次使用"), self)
        self.heading.setObjectName("pageHeading")
        self.heading.setStyleSheet(scale_css("font-size: 17px; font-weight: bold;"))
        self.stack = QStackedWidget(self)
        self.choice = ChoicePage(self)
        self.choice.chosen.connect(self.choose)
        self.stack.addWidget(self.choice)
        for steps in self.flows.values():
            for step in steps:
                self.stack.addWidget(step)
        self.message = MessageBar(self)
        self.back_button = QPushButton(translate("FirstStart", "返回(&B)"), self)
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("next")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.quit_button = QPushButton(translate("FirstStart", "退出"), self)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._marked: QWidget | None = None
        self._show_choice()

    # --- steps ----------------------------------------------------------------------------------
    def insert_step(self, flow: str, index: int, step: WizardStep) -> None:
        """Put another step into a path (the organization profile, after the account)."""
        self.flows[flow].insert(index, step)
        self.stack.addWidget(step)

    @property
    def step(self) -> WizardStep | None:
        if self.flow is None or not 0 <= self.index < len(self.flows[self.flow]):
            return None
        return self.flows[self.flow][self.index]

    def choose(self, flow: str) -> None:
        self.flow, self.index = flow, 0
        self._show_step()

    def _show_choice(self) -> None:
        self.flow, self.index = None, -1
        self.stack.setCurrentWidget(self.choice)
        self.heading.setText(translate("FirstStart", "首次使用"))
        self.back_button.setVisible(False)
        self.next_button.setVisible(False)
        self.message.clear_message()

    def _show_step(self) -> None:
        step = self.step
        assert step is not None
        self._unmark()
        self.message.clear_message()
        self.stack.setCurrentWidget(step)
        self.heading.setText(step.title)
        self.back_button.setVisible(True)
        self.back_button.setEnabled(step.can_go_back)
        self.next_button.setVisible(True)
        self.next_button.setEnabled(True)
        self.next_button.setText(step.next_text or translate("FirstStart", "下一步(&N)"))
        step.entered()

    def back(self) -> None:
        step = self.step
        if step is None or not step.can_go_back or self.tasks.busy:
            return
        if self.index == 0:
            self._show_choice()
        else:
            self.index -= 1
            self._show_step()

    def next(self) -> None:
        step = self.step
        if step is None or self.tasks.busy:
            return
        self._unmark()
        self.message.clear_message()
        self._busy(True)
        step.commit()

    def step_done(self) -> None:
        self._busy(False)
        assert self.flow is not None
        if self.index + 1 >= len(self.flows[self.flow]):
            self.finish()
            return
        self.index += 1
        self._show_step()

    def step_failed(self, message: str, widget: QWidget | None = None) -> None:
        self._busy(False)
        self.message.show_error(message)
        if widget is not None:
            self._marked = widget
            widget.setStyleSheet("border: 1px solid #c62828;")
            widget.setFocus()

    def finish(self) -> None:
        if self.opened is not None:
            self.accept()

    def _unmark(self) -> None:
        if self._marked is not None:
            self._marked.setStyleSheet("")
            self._marked = None

    def _busy(self, busy: bool) -> None:
        step = self.step
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy and step is not None and step.can_go_back)
        self.quit_button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def reject(self) -> None:
        if self.tasks.busy:
            return  # the database is being written; let it finish rather than leave it half-made
        if self.opened is not None:
            # A database was made: the window opens on it rather than leaving it unused.
            self.accept()
            return
        super().reject()
