"""app.reports is pure: it builds PDFs from plain data and imports no database, UI or Qt code."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("sqlalchemy", "PySide6", "shiboken6", "app.models", "app.services", "app.sync", "app.ui", "app.cli")


def test_importing_reports_pulls_in_nothing_forbidden():
    code = (
        "import sys, app.reports, app.reports.kinds, app.reports.samples\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
