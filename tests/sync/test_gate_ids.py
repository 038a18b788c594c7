"""The gate keys the rows a package touches by each id's canonical text (str keys hash in C). Ids
arrive in that form from every copy; the odd forms an id may still take name the same row."""

from __future__ import annotations

import uuid

import pytest

from app.sync import authorize


@pytest.mark.parametrize("form", [str, lambda u: u.hex, lambda u: str(u).upper(), lambda u: u.hex.upper()])
def test_every_form_of_an_id_names_the_same_row(form):
    u = uuid.uuid4()
    assert authorize._id(form(u)) == str(u)
    assert authorize._id(u) == str(u)


def test_text_that_is_no_id_names_no_row():
    assert authorize._id("not-an-id") is None
    assert authorize._id(None) is None


def test_ids_already_canonical_are_taken_as_they_are_without_being_parsed(monkeypatch):
    # A package's new rows each bring an id never seen before: parsing and printing each one cost
    # 5 % of the helper's time.
    monkeypatch.setattr(authorize, "_CANON", {})
    monkeypatch.setattr(authorize, "_PARSED", {})
    monkeypatch.setattr(authorize, "_TEXTS", {})
    ids = [str(uuid.uuid4()) for _ in range(1000)]
    assert [authorize._id(i) for i in ids] == ids
    assert authorize._PARSED == {} and authorize._TEXTS == {}
    assert all(authorize._CANON[i] is i for i in ids)  # remembered as they are, for the next lookups
