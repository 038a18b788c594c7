"""A field declared once (app/ui/widgets/form_fields.py) is laid out with its label, filled from a
record and read back unchanged, and watched for edits: nothing forgotten in one of the places."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services.fieldwork import DocumentReviewService, PetitionService, VisitService
from app.ui.page import Page
from app.ui.widgets.form_fields import Check

from .helpers import type_into

AT = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


def _records(world):
    members = [str(world.member_a.id), str(world.member_b.id)]
    common = {"inspection_id": world.inspection.id, "unit_id": world.unit.id}
    return {
        Page.PETITIONS: (PetitionService, {
            **common, "received_at": AT, "channel": "hotline_12345", "anonymous": False, "reporter_name": "李群众",
            "reporter_contact": "13800000000", "subject_name": "王志强", "subject_post": "财务科科长",
            "content": "反映虚报差旅费。", "status": "verifying", "handling": "已转核实。"}),
        Page.DOCUMENT_REVIEWS: (DocumentReviewService, {
            **common, "title": "2025年党组会议记录", "material_kind": "会议记录", "period": "2025年",
            "reviewed_at": AT, "reviewer_ids": members, "notes": "三重一大事项未上会。"}),
        Page.VISITS: (VisitService, {
            **common, "visited_at": AT, "place": "安集村村委会", "visitor_ids": members, "people_met": "村民代表",
            "content": "反映村道工程质量差。"}),
    }


@pytest.mark.parametrize("which", [Page.PETITIONS, Page.DOCUMENT_REVIEWS, Page.VISITS])
def test_a_record_shown_and_read_back_is_unchanged(qtbot, window, world, which):
    service, stored = _records(world)[which]
    record = service(world.ctx).create(**stored)
    page = window.page(which)
    window.show_page(which)
    # Every declared field has its row, under its label.
    for f in page.form_fields:
        if not isinstance(f, Check):
            assert page.form.labelForField(getattr(page, f.attr)).text() == f.label
    page.reload()
    page.open_record(record.id)
    qtbot.waitUntil(lambda: page.current_id == record.id, timeout=10_000)
    read = page.form_values()
    assert set(read) == {f.name for f in page.form_fields}
    for name, value in read.items():
        if name.endswith("_at"):
            assert value == AT, name
        elif name == "unit_id":
            assert value == world.unit.id
        elif name.endswith("_ids"):
            assert sorted(value) == sorted(stored[name]), name  # the picker lists the team in its own order
        else:
            assert value == stored[name], name
    assert not page.dirty
    # A typed change in any text field marks the record unsaved.
    first_line = next(f for f in page.form_fields if type(f).__name__ == "Line")
    type_into(qtbot, getattr(page, first_line.attr), "补")
    assert page.dirty
