"""The English interface leaves no Chinese behind: every message lupdate finds is translated, and
the table headers defined as data (the register's columns in app/services, the account and audit
tables) reach lupdate and come out in English."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt

from app.paths import resources_dir
from app.services import register
from app.ui import i18n

HAN = re.compile(r"[\u4e00-\u9fff]")


def _ts() -> ET.ElementTree:
    return ET.parse(resources_dir() / "translations" / "xuncha_en.ts")


def test_every_message_in_the_ts_file_is_translated():
    tree = _ts()
    left = [
        (context.findtext("name"), message.findtext("source"))
        for context in tree.iter("context")
        for message in context.iter("message")
        if (t := message.find("translation")) is not None and (t.get("type") == "unfinished" or not (t.text or "").strip())
    ]
    assert left == []


def test_table_headers_defined_as_data_are_english(qapp, english):
    from app.ui.accounts_page import AccountsModel
    from app.ui.audit_page import AuditTableModel

    headers = [i18n.translate("FindingRegisterModel", f.header) for f in register.REGISTER_FIELDS]
    for model in (AccountsModel(), AuditTableModel()):
        headers += [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]
    assert [h for h in headers if HAN.search(h)] == []
    assert headers[:2] == ["No.", "Title"]


def test_update_py_keeps_the_headers_defined_as_data():
    """lupdate -no-obsolete drops what it cannot find: the headers must be marked where it looks."""
    from app.ui.accounts_page import AccountsModel
    from app.ui.audit_page import AuditTableModel

    found = {(c.findtext("name"), m.findtext("source")) for c in _ts().iter("context") for m in c.iter("message")}
    wanted = {("FindingRegisterModel", f.header) for f in register.REGISTER_FIELDS}
    wanted |= {("Security", h) for h in AccountsModel.HEADERS + AuditTableModel.HEADERS}
    assert wanted - found == set()
