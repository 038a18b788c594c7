"""On a machine without any CJK font the window registers the shipped WenQuanYi Micro Hei, and every
character of every page (main window, office window, first-start wizard) has a glyph.

The machine is simulated in a child process with a fontconfig configuration that lists only Latin
fonts. It opens every page of both windows, so it takes ~15 s: the price of checking them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")


@pytest.fixture
def no_cjk_fonts(tmp_path) -> dict[str, str]:
    folders = f"<dir>{LATIN_FONTS}</dir>" if LATIN_FONTS.is_dir() else ""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig>{folders}<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen",
            "XUNCHA_DATA_DIR": str(tmp_path / "data")}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig simulates the font-less machine")
def test_every_visible_character_has_a_glyph_without_system_cjk_fonts(no_cjk_fonts):
    probe = subprocess.run(
        [sys.executable, "-c", "from PySide6.QtGui import QFontDatabase; from PySide6.QtWidgets import QApplication;"
         "QApplication([]); print(len(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)))"],
        env=no_cjk_fonts, capture_output=True, text=True, timeout=60,
    )
    assert probe.stdout.strip() == "0", "the simulated machine must have no Chinese font"
    result = subprocess.run([sys.executable, "-m", "app.ui.glyph_check", "--json"], env=no_cjk_fonts,
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["font"] == "WenQuanYi Micro Hei"  # the shipped font was needed, and registered
    assert report["missing"] == {}
    assert report["han"] > 500  # the pages were really shown and read
    assert result.returncode == 0
