"""Fixtures for driving the real widgets: a main window over the `world` inspection, and dialogs
answered by the test instead of blocking the event loop."""

from __future__ import annotations

import pytest

from app.ui import dialogs


class Answers:
    """What the modal questions answer; a question nobody expected fails the test."""

    def __init__(self) -> None:
        self.unsaved: list[dialogs.Unsaved] = []
        self.asked: list[str] = []
        self.confirm = True
        self.save_path: str | None = None
        self.open_paths: list[str] = []
        self.open_path: str | None = None
        self.informed: list[str] = []

    def ask_unsaved(self, _parent, what: str) -> dialogs.Unsaved:
        self.asked.append(what)
        if not self.unsaved:
            raise AssertionError(f"unexpected question about unsaved edits in {what!r}")
        return self.unsaved.pop(0)


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory):
    """Each test starts with no remembered layout: Qt resolves the settings folder once per
    process, so a per-test XDG_CONFIG_HOME alone does not isolate QSettings."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    QSettings().clear()


@pytest.fixture(autouse=True)
def answers(monkeypatch) -> Answers:
    a = Answers()
    monkeypatch.setattr(dialogs, "ask_unsaved", a.ask_unsaved)
    monkeypatch.setattr(dialogs, "confirm", lambda *_args: a.confirm)
    monkeypatch.setattr(dialogs, "inform", lambda _p, _t, text: a.informed.append(text))
    monkeypatch.setattr(dialogs, "save_file_path", lambda *_args: a.save_path)
    monkeypatch.setattr(dialogs, "open_file_paths", lambda *_args: list(a.open_paths))
    monkeypatch.setattr(dialogs, "open_file_path", lambda *_args: a.open_path)
    return a


@pytest.fixture
def english(qapp):
    """The interface in English for one test, Chinese again after it."""
    from app.ui import i18n

    i18n.install_translators(qapp, "en")
    yield
    i18n.install_translators(qapp, "zh_CN")


@pytest.fixture
def window(qtbot, world):
    """The main window over the `world` inspection, every page loaded."""
    from app.ui.main_window import MainWindow

    win = MainWindow()
    # Closed below rather than by qtbot, which closes its widgets before fixtures finish.
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    yield win
    # Unsaved edits left by a test must not turn teardown into a question.
    for page in win.built_pages():
        tracker = getattr(page, "tracker", None) or getattr(getattr(page, "editor", None), "tracker", None)
        if tracker is not None:
            tracker.set_dirty(False)
    win.close()
    win.tasks.wait(10_000)
    win.deleteLater()


def wait_idle(qtbot, *runners, timeout: int = 10_000) -> None:
    """Until none of these pages (or task runners) has background work in flight."""

    def idle() -> bool:
        for r in runners:
            tasks = getattr(r, "tasks", r)
            if tasks.busy:
                return False
        return True

    qtbot.waitUntil(idle, timeout=timeout)
