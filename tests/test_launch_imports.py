"""Opening a current database, as every launch does, loads no Alembic (~0.3 s of imports and
script loading on the reference laptop); the head it compares with is Alembic's own."""

from __future__ import annotations

import subprocess
import sys

from app.models import migrate
from app.services.setup import open_database


def test_the_head_and_revisions_read_from_the_scripts_are_alembics():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == scripts.get_current_head()
    assert migrate.known_revisions() == {r.revision for r in scripts.walk_revisions()}


def test_opening_a_current_database_imports_no_alembic(tmp_path):
    path = tmp_path / "current.sqlite3"
    open_database(path, create=True).db.dispose()
    probe = (
        "import sys\n"
        "from app.services.setup import open_database\n"
        f"opened = open_database({str(path)!r})\n"
        "assert not opened.upgraded\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_an_older_database_is_still_upgraded(tmp_path):
    from app.models.db import Database

    db = Database.open_path(tmp_path / "old.sqlite3", create=True)
    migrate.upgrade(db.engine, "0005")
    assert migrate.schema_state(db.engine).needs_upgrade
    db.dispose()
    opened = open_database(tmp_path / "old.sqlite3")
    assert opened.upgraded and opened.db.schema_state().current == migrate.head_revision()
    opened.db.dispose()
