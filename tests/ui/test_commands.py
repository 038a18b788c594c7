"""The screenshot and benchmark commands run end to end on a small database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=300)


def test_screenshots_of_every_page(world, tmp_path):
    world.interview(transcript="问：……\n答：……")
    world.finding()
    path = world.ctx.db.url.removeprefix("sqlite:///")
    result = _run("app.ui.screenshots", str(tmp_path / "shots"), "--db", path)
    assert result.returncode == 0, result.stderr
    shots = sorted((tmp_path / "shots").glob("*.png"))
    names = [p.stem.split("-", 1)[1] for p in shots]
    for page in ("dashboard", "checklists", "interviews", "petitions", "document-reviews", "visits",
                 "findings-register", "findings-review-chain", "documents", "global-search"):
        assert page in names
    image = QImage(str(shots[0]))
    assert (image.width(), image.height()) == (1366, 768)


def test_benchmark_prints_json_figures(world):
    world.finding()
    path = world.ctx.db.url.removeprefix("sqlite:///")
    result = _run("app.ui.benchmark", path, "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    names = [f["name"] for f in figures]
    assert names[0].startswith("界面：启动到主窗口可用")
    assert any("问题台账首屏" in n for n in names)
    assert any("关键词筛选" in n for n in names)
    stall = next(n for n, f in enumerate(figures) if f["id"] == "ui_longest_stall")
    assert figures[stall]["name"].startswith("界面：UI 线程最长停顿")
    # After it, up to three stalls, longest first, each saying where the UI thread was.
    listed = figures[stall + 1:]
    assert len(listed) <= 3 and all(f["id"].startswith("ui_stall_") and f["budget"] is None for f in listed)
    assert [f["value"] for f in listed] == sorted((f["value"] for f in listed), reverse=True)
    assert all(f["unit"] == "ms" and f["value"] >= 0 for f in figures)
    assert all(f["budget"] > 0 for f in figures[:stall + 1])
    # Beside the longest overall: the longest once the window was usable, and the longest while
    # each page was opened for the first time (work a page defers until shown is counted there).
    by_id = {f["id"]: f for f in figures}
    assert by_id["ui_after_launch_stall"]["name"].startswith("界面：主窗口可用后最长停顿")
    assert by_id["ui_page_visit_stall"]["name"].startswith("界面：首次打开各页最长停顿")
    assert by_id["ui_page_visit_stall"]["value"] <= by_id["ui_after_launch_stall"]["value"] <= figures[stall]["value"]
    # One stable id per figure, so runs can be compared whatever the names say.
    ids = [f["id"] for f in figures]
    assert len(set(ids)) == len(ids) and ids[0] == "ui_launch_in_process"


def test_measure_ui_returns_tuples(world):
    from app.ui.benchmark import measure_ui

    world.finding()
    figures = measure_ui(world.ctx.db.url.removeprefix("sqlite:///"))
    assert all(len(f) == 5 and isinstance(f[0], str) and isinstance(f[2], float) for f in figures)
