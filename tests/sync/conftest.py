"""Fixtures shared by the sync tests."""

from __future__ import annotations

import pytest

from .helpers import make_template


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A database with a little shared history, cloned into each copy a test needs."""
    return make_template(tmp_path_factory.mktemp("template"))
