"""The interface language: Simplified Chinese by default, English on request.

Source strings in the code are the Chinese a user sees, so the application reads correctly even
when no translation file loads; English comes from resources/translations/xuncha_en.qm (built from
the .ts next to it — see resources/translations/README.md). Choose it with XUNCHA_LANG=en or the
“语言” menu (remembered in QSettings, applied at the next start).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str: ...  # noqa: N802 - Qt's name, which lupdate looks for
else:
    # Qt's marker for lupdate, returning the source text; its stub says `object`, so the office pages
    # import it from here.
    from PySide6.QtCore import QT_TRANSLATE_NOOP  # noqa: F401 - re-exported

from app.models.enums import LabelledEnum
from app.paths import resources_dir

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
SETTINGS_KEY = "ui/language"
LABELS_CONTEXT = "labels"

# Kept alive for the application's lifetime: Qt does not own installed translators.
_installed: list[QTranslator] = []


def translations_dir() -> Path:
    return resources_dir() / "translations"


def chosen_language() -> str:
    """XUNCHA_LANG wins over the saved setting, so a test or a support call can force one."""
    wanted = os.environ.get("XUNCHA_LANG") or str(QSettings().value(SETTINGS_KEY, DEFAULT_LANGUAGE))
    wanted = wanted.replace("-", "_")
    if wanted.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def save_language(language: str) -> None:
    QSettings().setValue(SETTINGS_KEY, language)


def install_translators(app: QCoreApplication, language: str | None = None) -> str:
    """Load the translations for `language` (default: the chosen one); returns the language used."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = language or chosen_language()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        _load(app, "xuncha_en", translations_dir())
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        # Qt's own dialogs and context menus (“取消”, “复制”) in Chinese too.
        _load(app, "qtbase_zh_CN", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    return language


def _load(app: QCoreApplication, name: str, folder: Path) -> bool:
    translator = QTranslator(app)
    if translator.load(name, str(folder)):
        app.installTranslator(translator)
        _installed.append(translator)
        return True
    return False


def label(enum: type[LabelledEnum], value: str | None) -> str:
    """The label of an enum code in the interface language (enum labels are Chinese in the code)."""
    text = enum.label_of(value)
    return QCoreApplication.translate(LABELS_CONTEXT, text) if text else ""


def labels(enum: type[LabelledEnum]) -> dict[str, str]:
    return {code: QCoreApplication.translate(LABELS_CONTEXT, text) for code, text in enum.labels().items()}


def translate(context: str, text: str) -> str:
    """Qt's translate; named so that lupdate finds the (literal) context and text."""
    return QCoreApplication.translate(context, text)
