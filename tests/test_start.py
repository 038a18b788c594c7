"""Starting the program: without a display it says so and stops instead of waiting forever behind
an invisible dialog; `bootstrap.py run --db FILE` opens the user's file, wherever they typed it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bootstrap():
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_window_without_a_display_says_so_and_stops(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XUNCHA_DATA_DIR": str(tmp_path / "data")}
    env.pop("XUNCHA_ALLOW_HEADLESS", None)
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(tmp_path / "new.sqlite3")], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "没有可用的图形显示" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "new.sqlite3").exists()


def test_bootstrap_run_without_a_display_stops_before_installing_anything(monkeypatch, capsys):
    bootstrap = _bootstrap()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(bootstrap, "ensure_venv", lambda *_a: pytest.fail("must not install for a window it cannot show"))
    monkeypatch.setattr(bootstrap, "ensure_debian_packages", lambda *_a: None)
    assert bootstrap.main(["run", "--db", "x.sqlite3"]) == 2
    assert "没有图形显示" in capsys.readouterr().err


@pytest.mark.parametrize("args, window", [
    ([], True), (["--db", "a.sqlite3"], True), (["--db=a.sqlite3"], True),
    (["check"], False), (["--db", "a.sqlite3", "inspections", "list"], False), (["--help"], False),
])
def test_bootstrap_knows_a_window_from_a_command(args, window):
    assert _bootstrap().opens_window(args) is window


def test_bootstrap_run_opens_the_callers_file_from_any_folder(tmp_path, monkeypatch):
    bootstrap = _bootstrap()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(bootstrap, "ensure_debian_packages", lambda *_a: None)
    monkeypatch.setattr(bootstrap, "ensure_venv", lambda *_a: Path(sys.executable))
    calls = []

    class Done:
        returncode = 0

    monkeypatch.setattr(bootstrap.subprocess, "run", lambda cmd, **kw: (calls.append((cmd, kw)), Done())[1])
    assert bootstrap.main(["run", "--db", "demo.sqlite3"]) == 0
    assert bootstrap.main(["run", "--db=sub/demo.sqlite3", "check"]) == 0
    (first, kw1), (second, kw2) = calls
    assert first[-2:] == ["--db", str(elsewhere / "demo.sqlite3")]
    assert second[-2:] == [f"--db={elsewhere / 'sub' / 'demo.sqlite3'}", "check"]
    assert kw1["cwd"] == elsewhere and kw2["cwd"] == elsewhere
    # A server database is passed on as typed, not taken for a file in the caller's folder.
    url = "postgresql://xuncha@db.example.org/xuncha?sslmode=verify-full"
    assert bootstrap.absolute_db(["--db", url, "check"]) == ["--db", url, "check"]
    assert bootstrap.absolute_db([f"--db={url}"]) == [f"--db={url}"]
