"""Nothing of a record reaches the disk in plain text outside the encrypted database: the transcript
being typed is sealed in its draft (0600, in a 0700 folder), an export's temporary files are private
and gone even when the export fails, and `handover --confirm` destroys the drafts however the
database path was typed (relative, through a symbolic link)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from app.models import crypto
from app.services import drafts, handover
from app.services.setup import create_encrypted, open_database
from app.ui.draft_journal import DraftJournal
from app.ui.page import Page

from .conftest import wait_idle
from .helpers import choose, click, tick, type_into

MARKER = "绝密标记甲乙丙丁戊己庚辛"
PASSWORD = "加密库口令-2026-甲"


def _plaintext_hits(roots: list[Path], since: float, skip: set[Path]) -> list[Path]:
    """Files under `roots` changed since `since` that hold the marker as UTF-8 or UTF-16."""
    needles = [MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), MARKER[:4].encode("utf-8")]
    hits = []
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                path = Path(dirpath) / name
                try:
                    if path in skip or path.stat().st_mtime < since or path.stat().st_size > 50_000_000:
                        continue
                    data = path.read_bytes()
                except OSError:
                    continue
                if any(n in data for n in needles):
                    hits.append(path)
    return hits


@pytest.fixture
def encrypted(tmp_path):
    from tests.conftest import World

    opened = create_encrypted(tmp_path / "enc.sqlite3", password=PASSWORD)
    world = World(opened.ctx)
    yield opened, world
    opened.db.dispose()


@pytest.fixture
def enc_window(qtbot, encrypted):
    from app.ui.main_window import MainWindow

    opened, world = encrypted
    win = MainWindow()
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(opened.ctx)
    yield win
    for page in win.built_pages():
        tracker = getattr(page, "tracker", None) or getattr(getattr(page, "editor", None), "tracker", None)
        if tracker is not None:
            tracker.set_dirty(False)
    win.close()
    win.tasks.wait(10_000)


def test_typing_and_exporting_leave_no_plaintext(qtbot, enc_window, encrypted, tmp_path, monkeypatch):
    from app.tempfiles import use_private_tempdir

    opened, world = encrypted
    started = time.time() - 1
    private = use_private_tempdir()
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    window = enc_window

    # A transcript typed for a while: its draft is on disk, sealed.
    page = window.interviews
    window.show_page(Page.INTERVIEWS)
    click(qtbot, page.new_button)
    choose(qtbot, page.interviewee, "王志强")
    tick(qtbot, page.interviewers, "赵立新")
    tick(qtbot, page.interviewers, "钱文静")
    type_into(qtbot, page.transcript, f"问：情况？\n答：{MARKER}")
    page.write_journal()
    folder = drafts.drafts_folder(opened.db)
    qtbot.waitUntil(lambda: any(folder.glob("*.draft")), timeout=10_000)
    wait_idle(qtbot, page.journal_tasks)
    (draft,) = folder.glob("*.draft")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert MARKER.encode() not in draft.read_bytes()
    restored = DraftJournal.for_database(opened.db).entries("interview-")
    assert MARKER in restored[0][2]["transcript"]  # it is the transcript, sealed, not lost

    # An export that fails at the last moment (disk full) leaves neither the file nor its temporary data.
    world.finding(title=f"问题{MARKER}", facts=f"现象{MARKER}")
    import openpyxl

    def disk_full(self, filename):
        raise OSError(28, "No space left on device")

    findings = window.findings
    window.show_page(Page.FINDINGS)
    qtbot.waitUntil(lambda: findings.model.rowCount() == 1, timeout=10_000)
    target = tmp_path / "exports" / "问题台账.xlsx"
    target.parent.mkdir()
    with monkeypatch.context() as patch:
        patch.setattr(openpyxl.Workbook, "save", disk_full)
        findings.export_to(str(target))
        qtbot.waitUntil(lambda: not findings.exporting, timeout=15_000)
    assert findings.message.kind == "error" and not list(target.parent.iterdir())
    # A finished one: only the file the user asked for holds the text.
    findings.export_to(str(target))
    qtbot.waitUntil(lambda: not findings.exporting and target.exists(), timeout=15_000)
    assert not list(private.glob("export-*"))  # the exports' scratch folders are gone

    roots = [Path(os.environ["XUNCHA_DATA_DIR"]), Path(os.environ["XDG_CONFIG_HOME"]).parent,
             private.parent, tmp_path]
    assert _plaintext_hits(roots, started, skip={target}) == []


def test_handover_destroys_drafts_however_the_path_was_typed(tmp_path, monkeypatch):
    real = tmp_path / "real"
    real.mkdir()
    opened = create_encrypted(real / "laptop.sqlite3", password=PASSWORD)
    journal = DraftJournal.for_database(opened.db)
    journal.save("interview-new-1", {"transcript": MARKER})
    opened.db.dispose()
    # A draft an earlier version left in plain text, in the folder it named after the path as typed.
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    relative = Path("link") / "laptop.sqlite3"
    again = open_database(relative, password=PASSWORD, username="admin")
    legacy = drafts.drafts_root() / drafts._digest(again.db.url)
    legacy.mkdir(parents=True)
    (legacy / "interview-old.json").write_text(f'{{"key": "interview-old", "data": "{MARKER}"}}', encoding="utf-8")
    assert drafts.drafts_folder(again.db) == journal.folder  # same folder, whichever path was typed
    found = drafts.all_draft_files(again.db)
    assert len(found) == 2
    record = handover.hand_over(again.ctx, tmp_path / "交接记录.txt", confirm=True, master_has=10**9)
    assert not journal.folder.exists() and not legacy.exists()
    assert not (real / "laptop.sqlite3").exists() and not crypto.keyfile_path(real / "laptop.sqlite3").exists()
    assert {str(p) for p in found} <= set(record.wiped)
