"""Reference data ships as versioned files, loads on first run, and can be extended by users."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from app.models import ChecklistTemplate, ChecklistTemplateItem, ReferenceItem
from app.services import reference
from app.services.errors import ValidationError
from app.services.reference import ReferenceItemService, builtin_id, load_reference_data, reference_dir
from app.services.setup import open_database


def _file(kind: str) -> dict:
    with (reference_dir() / reference.LIST_FILES[kind]).open("rb") as fh:
        return tomllib.load(fh)


@pytest.mark.parametrize("kind", list(reference.LIST_FILES))
def test_every_shipped_list_is_loaded(ctx, kind):
    shipped = {item["code"]: item["name"] for item in _file(kind)["items"]}
    loaded = reference.names(ctx, kind)
    assert loaded == shipped


def test_the_three_checklists_are_loaded_with_guidance(db):
    with db.read() as session:
        templates = {t.list_kind: t for t in session.query(ChecklistTemplate)}
        counts = {
            kind: session.query(ChecklistTemplateItem).filter_by(template_id=t.id).count()
            for kind, t in templates.items()
        }
        guidance_missing = session.query(ChecklistTemplateItem).filter(ChecklistTemplateItem.guidance.is_(None)).count()
    assert counts == {"must_check": 5, "must_ask": 6, "must_talk": 4}
    assert guidance_missing == 0


def test_four_forms_and_disciplines_are_the_official_sets(ctx):
    assert list(reference.names(ctx, reference.FOUR_FORM)) == ["form1", "form2", "form3", "form4"]
    assert set(reference.names(ctx, reference.DISCIPLINE).values()) == {
        "政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"
    }


def test_loading_twice_changes_nothing(ctx):
    report = load_reference_data(ctx)
    assert report.added == 0 and report.updated == 0


def test_builtin_rows_have_the_same_ids_in_every_database(tmp_path, ctx):
    other = open_database(tmp_path / "other.sqlite3", create=True).db
    with ctx.db.read() as a, other.read() as b:
        ids_a = {r.id for r in a.query(ReferenceItem)}
        ids_b = {r.id for r in b.query(ReferenceItem)}
    assert ids_a == ids_b
    assert builtin_id("discipline", "integrity") in ids_a


def test_a_newer_shipped_version_updates_and_adds(tmp_path, ctx):
    folder = tmp_path / "reference"
    shutil.copytree(reference_dir(), folder)
    path = folder / reference.LIST_FILES[reference.DISCIPLINE]
    text = path.read_text(encoding="utf-8").replace("version = 1", "version = 2", 1)
    text += '\n[[items]]\ncode = "test_new"\nname = "新增纪律条目"\nsort = 999\n'
    path.write_text(text, encoding="utf-8")
    report = load_reference_data(ctx, folder)
    assert report.added == 1
    assert reference.names(ctx, reference.DISCIPLINE)["test_new"] == "新增纪律条目"


def test_users_can_add_their_own_entries(ctx):
    service = ReferenceItemService(ctx)
    item = service.create(kind=reference.PROBLEM_CATEGORY, code="local_land", name="土地征收补偿问题",
                          parent_code="strict_governance")
    assert item.builtin is False
    assert "local_land" in reference.names(ctx, reference.PROBLEM_CATEGORY)
    with pytest.raises(ValidationError, match="已被使用"):
        service.create(kind=reference.PROBLEM_CATEGORY, code="local_land", name="重复")
    with pytest.raises(ValidationError, match="代码"):
        service.create(kind=reference.PROBLEM_CATEGORY, code="土地", name="中文代码")


def test_builtin_entries_cannot_be_edited(ctx):
    with pytest.raises(ValidationError, match="内置"):
        ReferenceItemService(ctx).update(builtin_id("discipline", "integrity"), name="改名")
