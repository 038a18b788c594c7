"""The search box in the tool bar: finds findings, interviews, petitions, document reviews and
visits by any Chinese substring, and opens the one chosen.

Results drop down under the box without taking the keyboard away from it: ↓/↑ move through
them, Enter opens, Esc closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from .i18n import translate
from .tasks import TaskRunner
from .widgets.look import apply_looks
from .workspace import Workspace

if TYPE_CHECKING:  # the services load after the window's first paint (app/ui/application.py)
    from app.services.search import SearchHit

SEARCH_DELAY_MS = 300
MAX_HITS = 50
_HitRole = Qt.ItemDataRole.UserRole


class SearchResults(QFrame):
    """The drop-down list; a tool window that never takes focus from the box."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFrameShape(QFrame.Shape.Box)
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)


class GlobalSearchBox(QLineEdit):
    hit_chosen = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.hits: list[SearchHit] = []
        self.setPlaceholderText(translate("GlobalSearch", "搜索全部记录（Ctrl+F）"))
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(300)
        self.results = SearchResults(self)
        apply_looks(self.results)
        self.results.list.itemClicked.connect(self._activate)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.textChanged.connect(self._text_changed)
        self.installEventFilter(self)

    def _text_changed(self, text: str) -> None:
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self.results.hide()

    def run_search(self) -> None:
        self._timer.stop()
        query, ctx = self.text().strip(), self.workspace.ctx
        if not query or ctx is None:
            return
        self.tasks.run(lambda: _search(ctx, query), self.show_hits, self._failed, key="search")

    def _failed(self, message: str) -> None:
        self.hits = []
        self.results.list.clear()
        self.results.note.setText(message)
        self._popup()

    def show_hits(self, hits: list[SearchHit]) -> None:
        from . import record_kinds  # with the services, loaded by then

        current_inspection = self.workspace.inspection_id
        # The inspection in hand first; the index's own order (newest first) within each group.
        hits = sorted(hits, key=lambda h: h.inspection_id != current_inspection)
        self.hits = hits
        self.results.list.clear()
        for hit in hits:
            where = "" if hit.inspection_id == current_inspection else translate("GlobalSearch", "（其他巡察）")
            title = hit.title or translate("GlobalSearch", "（无标题）")
            text = f"[{record_kinds.kind_name(hit.entity)}] {title}{where}\n    {hit.snippet}"
            item = QListWidgetItem(text, self.results.list)
            item.setData(_HitRole, hit)
        if hits:
            self.results.list.setCurrentRow(0)
            more = translate("GlobalSearch", "只显示前 {n} 条，请输入更多文字缩小范围。").format(n=MAX_HITS) if len(hits) >= MAX_HITS else ""
            self.results.note.setText(translate("GlobalSearch", "↑↓ 选择，Enter 打开，Esc 关闭。") + more)
        else:
            self.results.note.setText(translate("GlobalSearch", "没有找到包含“{q}”的记录。").format(q=self.text().strip()))
        self._popup()

    def _popup(self) -> None:
        width = max(self.width(), 460)
        below = self.mapToGlobal(QPoint(self.width() - width, self.height()))
        rows = min(max(self.results.list.count(), 1), 8)
        self.results.setGeometry(below.x(), below.y(), width, rows * 46 + 28)
        self.results.show()
        self.results.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            shown = self.results.isVisible()
            if key == Qt.Key.Key_Escape and shown:
                self.results.hide()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and shown:
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.list.count() - 1, self.results.list.currentRow() + step))
                self.results.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if shown and self.results.list.currentItem() is not None:
                    self._activate(self.results.list.currentItem())
                else:
                    self.run_search()
                return True
        if watched is self and event.type() == QEvent.Type.FocusOut:
            QTimer.singleShot(150, self, self._hide_unless_focused)
        return super().eventFilter(watched, event)

    def _hide_unless_focused(self) -> None:
        if not self.hasFocus():
            self.results.hide()

    def _activate(self, item: QListWidgetItem | None) -> None:
        hit: Any = item.data(_HitRole) if item is not None else None
        if hit is None:
            return
        self.results.hide()
        self.hit_chosen.emit(hit)


def _search(ctx: Any, query: str) -> list[SearchHit]:
    from app.services import search

    return search.search(ctx, query, limit=MAX_HITS)
