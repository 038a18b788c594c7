"""The window's fonts: the CJK fonts an official's PC has, and the shipped one when the system has none.

Domestic Linux desktops (and minimal installs) may lack every font with Chinese glyphs; Qt then
draws each character of the interface as an empty box. At start the interface's own characters
are laid out with the application font (Qt's font fallback included); if any comes out as the
missing glyph, WenQuanYi Micro Hei from resources/fonts is registered and put first.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication

from app.logs import logger
from app.paths import resources_dir

UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei")
SHIPPED_FONT = "wqy-microhei.ttc"
SHIPPED_FAMILY = "WenQuanYi Micro Hei"
# Characters of the interface a missing CJK font shows first: menus, navigation, buttons.
SAMPLE = "巡察工作台概览清单谈话记录信访举报查阅资料走访问题台账公文保存新建删除搜索设置帮助视图文件同步办理审核"


def missing_glyphs(text: Iterable[str], font: QFont) -> set[str]:
    """The characters of `text` that `font`, with Qt's fallback fonts, would draw as a missing-glyph box."""
    missing: set[str] = set()
    for ch in set(text):
        if ch.isspace() or not ch.isprintable():
            continue
        layout = QTextLayout(ch, font)
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        if any(glyph == 0 for run in layout.glyphRuns() for glyph in run.glyphIndexes()):
            missing.add(ch)
    return missing


def apply_ui_font(app: QApplication) -> str | None:
    """Give the application its font; returns the shipped family when it had to be registered."""
    font = QFont(app.font())
    font.setFamilies([*UI_FONTS, *font.families()])
    app.setFont(font)
    if not missing_glyphs(SAMPLE, font):
        return None
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / SHIPPED_FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if SHIPPED_FAMILY not in families:
        logger("fonts").warning("no font covers the interface's Chinese and the shipped one could not be loaded")
        return None
    font.setFamilies([SHIPPED_FAMILY, *UI_FONTS, *app.font().families()])
    app.setFont(font)
    logger("fonts").info("no system font covers the interface's Chinese: using the shipped %s", SHIPPED_FAMILY)
    return SHIPPED_FAMILY
