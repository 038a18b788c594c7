"""Screenshots of the office window at 1366×768 with demo data: `python -m app.ui.office.screenshots OUTDIR`.

    python -m app.ui.office.screenshots OUTDIR [--db FILE] [--size 1366x768]

Without --db a deterministic demo database is built in a temporary folder (with --db the file is
copied, never changed). "Today" is the demo's base date, so the pictures do not change from one day to
the next. The demo city covers every unit within 2024–2026, which makes a dull coverage picture: the
copy is set to a term of 2025–2027 (mid-term, as an office usually sees it), and a new inspection of
two units not yet inspected in that term is planned, to show team forming on a fresh case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..screenshots import _settle as settle

DEMO: dict[str, Any] = {"seed": 1, "units": 120, "findings": 4000, "interviews": 800}
SHOTS = ("coverage", "rounds", "team", "pool", "followup", "clues", "stats", "units")


def build_demo_database(path: Path) -> None:
    from app.services.demo import generate_demo
    from app.services.setup import open_database

    db = open_database(path, create=True).db
    try:
        generate_demo(db, **DEMO)
    finally:
        db.dispose()


def demo_today(ctx: Any) -> dt.date:
    from app.services.office import workdays

    return workdays.demo_date(ctx) or dt.date.today()


def plan_fresh_inspection(ctx: Any, on: dt.date) -> Any:
    """A new round's inspection of units never inspected in the term, with no team yet."""
    from app.services.inspections import RoundService
    from app.services.office import coverage, stages, workdays

    workdays.save_term(ctx, dt.date(on.year - 1, 1, 1), 3)
    report = coverage.coverage(ctx, on=on)
    never = [r for r in report.rows if r.status == coverage.NEVER and r.kind not in ("village",)][:2] or \
        [r for r in report.rows if r.status == coverage.NEVER][:2]
    new_round = RoundService(ctx).create(name="十二届市委第十一轮巡察", year=on.year + 1, ordinal=11)
    names = "、".join(r.name for r in never)
    return stages.create_inspection(ctx, name=f"对{names}开展常规巡察", kind="regular", round_id=new_round.id,
                                    team_name="市委第二巡察组", start_date=on + dt.timedelta(days=100),
                                    end_date=on + dt.timedelta(days=160), unit_ids=[r.unit_id for r in never])


def _settle(app: Any, done: Callable[[], bool], timeout: float = 30.0) -> None:
    # The office pages run heavier queries than the team's: a longer wait, the same loop.
    settle(app, done, timeout)


def take(out: Path, db_path: Path, size: tuple[int, int]) -> list[Path]:
    from app.services.setup import open_database

    from ..application import create_application
    from .window import OfficeWindow

    # The application's own set-up: the interface language, and the shipped font where the system
    # has no CJK font.
    app = create_application(sys.argv[:1])
    ctx = open_database(db_path).ctx
    today = demo_today(ctx)
    fresh = plan_fresh_inspection(ctx, today)
    window = OfficeWindow(ctx, today=today)
    window.resize(*size)
    window.show()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for key in SHOTS:
        page: Any = window.show_page(key)  # each page's own methods are called below
        _settle(app, lambda: not window.busy)
        if key == "team":
            page.choose_inspection(fresh.id)
            _settle(app, lambda: not window.busy)
            page.set_expertise(["discipline_inspection", "audit", "organization_personnel", "public_finance"])
            _settle(app, lambda: not window.busy)
        elif key == "rounds":
            page.select_inspection(_busiest(ctx))
            _settle(app, lambda: not window.busy)
        elif key == "pool" or key == "followup":
            page.table.selectRow(0)
            _settle(app, lambda: not window.busy)
        path = out / f"office_{key}.png"
        window.grab().save(str(path))
        written.append(path)
    window.close()
    # Destroy the widgets while Qt is still up: left to the interpreter's shutdown, PySide may crash.
    window.deleteLater()
    app.processEvents()
    ctx.db.dispose()
    return written


def _busiest(ctx: Any) -> Any:
    """A regular inspection in rectification (else feedback, fieldwork): the one worth showing on the timeline."""
    from app.models.enums import InspectionKind, Stage
    from app.services.inspections import InspectionService

    inspections = InspectionService(ctx).list(order_by=("name",))
    for stage in (Stage.RECTIFICATION, Stage.FEEDBACK, Stage.FIELDWORK):
        found = [i for i in inspections if i.stage == stage and i.kind == InspectionKind.REGULAR]
        if found:
            return found[0].id
    return inspections[0].id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.ui.office.screenshots", description="巡察办窗口截图")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--db", type=Path, help="使用已有数据库的副本（默认生成演示数据）")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="界面语言")
    args = parser.parse_args(argv)
    if args.lang:
        os.environ["XUNCHA_LANG"] = args.lang
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="xuncha-office-shots-") as tmp:
        os.environ.setdefault("XUNCHA_DATA_DIR", tmp)
        db_path = Path(tmp) / "office.sqlite3"
        if args.db:
            shutil.copyfile(args.db, db_path)
        else:
            build_demo_database(db_path)
        for path in take(args.outdir, db_path, (width, height)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
