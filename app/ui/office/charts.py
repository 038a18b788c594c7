"""Small charts drawn with QPainter: PySide6-Essentials ships no QtCharts, and these need only bars.

BarChart: one horizontal bar per category with its value. StackedBarChart: one bar per category split
into parts (e.g. inspected / planned / never). StageTimeline: an inspection's stages as a line of dots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..widgets.look import scale_css

PALETTE = ("#2f5d9b", "#c0392b", "#2e8b57", "#d4862a", "#7b4fa0", "#16808a", "#8c6d31", "#b0457b")


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None, *, color: str = PALETTE[0], unit: str = "") -> None:
        super().__init__(parent)
        self.title = title
        self.color = QColor(color)
        self.unit = unit
        self.items: list[tuple[str, float, str]] = []  # label, value, shown text
        self.colors: list[QColor] | None = None
        self.setAccessibleName(title)
        self.setMinimumSize(220, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, items: Sequence[tuple[str, float]], *, texts: Sequence[str] | None = None,
                 colors: Sequence[str] | None = None) -> None:
        self.items = [(label, float(value), texts[n] if texts else _number(value))
                      for n, (label, value) in enumerate(items)]
        self.colors = [QColor(c) for c in colors] if colors else None
        # What the bars show, in words, for a screen reader.
        self.setAccessibleDescription("；".join(f"{label} {text}{self.unit}" for label, _v, text in self.items))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(360, 60 + 24 * max(3, len(self.items)))

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(8, 6, -10, -6)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(self.font().pointSizeF() * 1.05)
        p.setFont(title_font)
        p.setPen(QColor("#222222"))
        title_h = QFontMetrics(title_font).height() + 6
        p.drawText(QRectF(rect.left(), rect.top(), rect.width(), title_h), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        fm = QFontMetrics(self.font())
        area = QRectF(rect.left(), rect.top() + title_h, rect.width(), rect.height() - title_h)
        if not self.items:
            p.setPen(QColor("#888888"))
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "暂无数据")
            return
        label_w = min(max(fm.horizontalAdvance(label) for label, _, _ in self.items) + 8, area.width() * 0.42)
        value_w = max(fm.horizontalAdvance(text) for _, _, text in self.items) + 8
        bar_w = max(10.0, area.width() - label_w - value_w)
        top = max(value for _, value, _ in self.items) or 1.0
        row_h = min(26.0, area.height() / len(self.items))
        bar_h = max(4.0, row_h * 0.62)
        for n, (label, value, text) in enumerate(self.items):
            y = area.top() + n * row_h
            p.setPen(QColor("#333333"))
            shown = fm.elidedText(label, Qt.TextElideMode.ElideMiddle, int(label_w - 8))
            p.drawText(QRectF(area.left(), y, label_w - 8, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            width = bar_w * value / top
            color = self.colors[n % len(self.colors)] if self.colors else self.color
            p.fillRect(QRectF(area.left() + label_w, y + (row_h - bar_h) / 2, max(width, 1.0 if value else 0.0), bar_h), color)
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(area.left() + label_w + width + 4, y, value_w, row_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)


class StackedBarChart(QWidget):
    """Bars split into parts, e.g. a unit kind's inspected / planned / never counts, with a legend."""

    def __init__(self, title: str, parts: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.parts = [(name, QColor(color)) for name, color in parts]
        self.rows: list[tuple[str, list[int], str]] = []
        self.setAccessibleName(title)
        self.setMinimumSize(260, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, rows: Sequence[tuple[str, Sequence[int], str]]) -> None:
        self.rows = [(label, list(values), note) for label, values, note in rows]
        self.setAccessibleDescription("；".join(
            f"{label}：" + "，".join(f"{name}{value}" for (name, _c), value in zip(self.parts, values, strict=False))
            + (f"（{note}）" if note else "") for label, values, note in self.rows))
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(8, 6, -10, -6)
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        fm = QFontMetrics(self.font())
        title_h = QFontMetrics(bold).height() + 6
        p.setPen(QColor("#222222"))
        p.drawText(QRectF(rect.left(), rect.top(), rect.width(), title_h), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        # Legend under the title.
        x = rect.left()
        y: float = rect.top() + title_h
        for name, color in self.parts:
            p.fillRect(QRectF(x, y + 4, 12, 12), color)
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(x + 16, y, fm.horizontalAdvance(name) + 4, 20), Qt.AlignmentFlag.AlignVCenter, name)
            x += 16 + fm.horizontalAdvance(name) + 16
        area = QRectF(rect.left(), y + 26, rect.width(), rect.height() - title_h - 26)
        if not self.rows:
            return
        label_w = min(max(fm.horizontalAdvance(label) for label, _, _ in self.rows) + 8, area.width() * 0.35)
        note_w = max(fm.horizontalAdvance(note) for _, _, note in self.rows) + 8
        bar_w = max(10.0, area.width() - label_w - note_w)
        top = max(sum(values) for _, values, _ in self.rows) or 1
        row_h = min(40.0, area.height() / len(self.rows))
        bar_h = max(4.0, row_h * 0.64)
        for n, (label, values, note) in enumerate(self.rows):
            y = area.top() + n * row_h
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(area.left(), y, label_w - 8, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8)))
            left = area.left() + label_w
            for value, (_name, color) in zip(values, self.parts, strict=False):
                width = bar_w * value / top
                if width > 0:
                    p.fillRect(QRectF(left, y + (row_h - bar_h) / 2, width, bar_h), color)
                    if width > fm.horizontalAdvance(str(value)) + 4:
                        p.setPen(QColor("white") if color.lightness() < 150 else QColor("#222222"))
                        p.drawText(QRectF(left, y, width, row_h), Qt.AlignmentFlag.AlignCenter, str(value))
                left += width
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(left + 4, y, note_w, row_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, note)


class StatTile(QFrame):
    """A headline figure: what, how many, and the year-on-year change."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statTile")
        self.setStyleSheet("QFrame#statTile { background: #f6f7f9; border: 1px solid #d9dde3; border-radius: 4px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(1)
        self.caption = QLabel(caption, self)
        self.caption.setStyleSheet("color:#555555;")
        self.value = QLabel("—", self)
        self.value.setStyleSheet(scale_css("font-size: 22px; font-weight: bold; color:#1f3b63;"))
        self.change = QLabel("", self)
        self.change.setStyleSheet("color:#6b6b6b;")
        for w in (self.caption, self.value, self.change):
            layout.addWidget(w)

    def set(self, value: str, change: str = "") -> None:
        self.value.setText(value)
        self.change.setText(change or " ")
        self.setAccessibleName(f"{self.caption.text()} {value} {change}".strip())


class StageTimeline(QWidget):
    """The stages in order: done ones filled, the current one ringed and named in bold, dates below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps: list[tuple[str, str, dt.date | None]] = []  # label, state, date
        self.setMinimumHeight(76)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_steps(self, steps: Sequence[tuple[str, str, dt.date | None]]) -> None:
        self.steps = list(steps)
        self.setAccessibleName("巡察阶段")
        self.setAccessibleDescription(f"当前阶段：{self.current_label()}；" + "，".join(
            label + (f"（{day.isoformat()}）" if day else "") for label, state, day in self.steps if state in ("done", "current")))
        self.update()

    def current_label(self) -> str:
        return next((label for label, state, _ in self.steps if state == "current"), "")

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt's name
        if not self.steps:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        n = len(self.steps)
        margin = 36.0
        span = (self.width() - 2 * margin) / max(1, n - 1)
        y = 22.0
        done, current, future = QColor("#2e8b57"), QColor("#c0392b"), QColor("#b8bec7")
        p.setPen(QPen(future, 3))
        p.drawLine(int(margin), int(y), int(self.width() - margin), int(y))
        last_done = max((i for i, (_, s, _) in enumerate(self.steps) if s in ("done", "current")), default=-1)
        if last_done > 0:
            p.setPen(QPen(done, 3))
            p.drawLine(int(margin), int(y), int(margin + span * last_done), int(y))
        fm = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        for i, (label, state, day) in enumerate(self.steps):
            x = margin + span * i
            color = done if state == "done" else current if state == "current" else future
            p.setPen(QPen(color, 2))
            p.setBrush(color if state != "future" else QColor("white"))
            radius = 9.0 if state == "current" else 7.0
            p.drawEllipse(QRectF(x - radius, y - radius, 2 * radius, 2 * radius))
            p.setFont(bold if state == "current" else self.font())
            p.setPen(QColor("#8c1d18") if state == "current" else QColor("#333333") if state == "done" else QColor("#888888"))
            w = max(fm.horizontalAdvance(label) + 12, span)
            p.drawText(QRectF(x - w / 2, y + 12, w, 20), Qt.AlignmentFlag.AlignCenter, label)
            if day is not None:
                p.setFont(small)
                p.setPen(QColor("#666666"))
                p.drawText(QRectF(x - w / 2, y + 31, w, 18), Qt.AlignmentFlag.AlignCenter, day.isoformat())


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
