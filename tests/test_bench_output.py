"""What `xuncha bench` prints beside its figures: the machine they were measured on, a mark on each
figure over budget, and a stable id per figure in --json."""

from __future__ import annotations

import os

from app.services.benchmark import Figure, describe_machine, machine_info


def test_the_machine_is_named_with_its_cores_cpu_and_load():
    info = machine_info()
    assert info["cores"] == os.cpu_count()
    assert isinstance(info["cpu"], str) and info["cpu"]
    line = describe_machine(info)
    assert line.startswith(f"本机：{os.cpu_count()} 核，{info['cpu']}")
    if hasattr(os, "getloadavg"):
        assert "负载" in line


def test_the_machine_says_how_fast_it_ran_while_measuring(monkeypatch):
    """A host running its virtual machine at half speed shows in no load average: the bench times a
    fixed loop before and after, so a slow minute can be told from a slower program."""
    from app.services import benchmark

    info = machine_info()
    assert 0 < info["reference_loop_s"] < 30
    assert f"参考循环 {info['reference_loop_s']:.2f} s" in describe_machine(info)
    assert benchmark.describe_after(info).startswith("测量结束时，") and "参考循环" in benchmark.describe_after(info)
    # Four times the steps take longer: the figure is the loop's, not a constant.
    monkeypatch.setattr(benchmark, "REFERENCE_LOOP_STEPS", benchmark.REFERENCE_LOOP_STEPS * 4)
    assert benchmark.reference_loop_seconds(repeat=1) > info["reference_loop_s"]


def test_figures_over_budget_are_marked_and_keep_their_id():
    over = Figure("merge_10_packages", "合并 10 个同步包", 25.2, "s", 20.0)
    within = Figure("statistics_all", "统计汇总（全库）", 120.0, "ms", 300)
    bare = Figure("merge_raw_sqlite", "原生 SQLite（基线）", 4.1, "s", None)
    assert over.render(20).endswith("✗ 超出预算") and within.render(20).endswith("✓")
    assert "预算" not in bare.render(20).replace("无预算", "")
    assert over.as_dict() == {"id": "merge_10_packages", "name": "合并 10 个同步包", "value": 25.2, "unit": "s",
                              "budget": 20.0, "within_budget": False}


def test_creating_an_encrypted_database_is_a_figure_with_its_steps():
    """One real creation in a fresh process (production Argon2id): the figure keeps its id and budget,
    and each step is named with its time."""
    from app.services.benchmark import create_encrypted_figure

    said: list[str] = []
    figure = create_encrypted_figure(said.append, repeat=1)
    assert (figure.id, figure.unit, figure.budget) == ("create_encrypted", "s", 3.0)
    assert 0 < figure.value < 60
    steps = said[-1]
    assert all(f"{name} " in steps for name in ("派生密钥", "建立数据表", "写入基础数据", "生成账户密钥")), steps


def test_the_first_rows_figure_times_what_the_register_asks_when_it_opens(monkeypatch, tmp_path):
    """The register over every inspection opens newest first (FindingsPage takes its order from
    register.opening_order): the bench's query-layer figure times that call, not a query no screen
    runs."""
    from app.services import benchmark, register

    monkeypatch.setattr(benchmark, "SIZE", {"units": 5, "findings": 120, "interviews": 10})
    monkeypatch.setattr(benchmark, "REPEAT", 1)
    ctx, _ = benchmark.ensure_bench_database(tmp_path / "bench.sqlite3", False, lambda _m: None)
    asked: list[tuple[register.RegisterFilter, str, bool]] = []
    real = register.first_rows

    def recorded(ctx_, filt, sort="number", descending=False, limit=100):
        asked.append((filt, sort, descending))
        return real(ctx_, filt, sort, descending, limit)

    monkeypatch.setattr(register, "first_rows", recorded)
    try:
        figures = {f.id: f for f in benchmark.query_figures(ctx)}
    finally:
        ctx.db.dispose()
    assert register.opening_order(register.RegisterFilter()) == ("created", True)
    assert (register.RegisterFilter(), "created", True) in asked
    assert figures["register_first_rows_query"].value > 0
