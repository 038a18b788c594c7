"""The main window: for now, the list of inspections in the open database."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QLabel, QMainWindow, QTableView, QVBoxLayout, QWidget

from app.services.context import ServiceContext
from app.services.inspections import InspectionService

from .inspection_list import InspectionTableModel
from .tasks import TaskRunner


class MainWindow(QMainWindow):
    def __init__(self, ctx: ServiceContext | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = TaskRunner(self)
        self.setWindowTitle("巡察工作台")
        self.resize(1280, 720)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.heading = QLabel("巡察列表", central)
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.status_label = QLabel("正在打开数据库…", central)
        self.table = QTableView(central)
        self.model = InspectionTableModel(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.heading)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)
        self._restore_layout()

    # --- data ----------------------------------------------------------------------------------
    def set_context(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        if self.ctx is None:
            return
        service = InspectionService(self.ctx)
        self.status_label.setText("正在读取巡察列表…")
        self.tasks.run(service.list, self._show_inspections, self.show_error)

    def _show_inspections(self, rows: list) -> None:
        self.model.set_rows(rows)
        self.status_label.setText(f"共 {len(rows)} 次巡察" if rows else "暂无巡察。可用“xuncha demo”生成演示数据。")

    def show_error(self, message: str) -> None:
        self.status_label.setText(message)
        self.status_label.setStyleSheet("color: #b00020;")

    # --- layout memory -------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        self.tasks.wait(5000)
        super().closeEvent(event)



