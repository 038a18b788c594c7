"""Opening a current database, as every launch does, loads no Alembic (~0.3 s of imports and
script loading on the reference laptop); the head it compares with is Alembic's own. And the window
is usable (the overview painted, input accepted) before any module its first paint does not need
is imported: each of those cost the launch 20–350 ms on the reference laptop."""

from __future__ import annotations

import json
import os
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


# Not needed to paint the overview of a plain file without accounts: SQLAlchemy, the models and the
# services (the overview is painted from app/services/launch_summary.py; they load in a worker after
# the paint), documents (ReportLab, fontTools, jieba, python-docx), Excel (openpyxl), schema upgrades
# (Alembic), name sorting (pypinyin, loaded with the pickers after the paint), multiprocessing (frozen
# builds only), sync and the office window's modules, the login, first-start wizard and idle lock.
DEFERRED = ("sqlalchemy", "alembic", "multiprocessing", "reportlab", "fontTools", "openpyxl", "docx", "jieba", "rjieba",
            "pypinyin", "argon2", "cryptography", "app.models._registry", "app.models.db", "app.services.context",
            "app.services.setup", "app.services.search", "app.services.register", "app.ui.lookups", "app.ui.login_dialog",
            "app.reports", "app.sync", "app.ui.office", "app.ui.first_start", "app.ui.lock", "app.ui.pages.findings",
            "app.ui.pages.interviews", "app.services.issuing", "app.services.statistics")


def test_the_window_is_usable_before_heavy_modules_are_imported(tmp_path):
    from conftest import World

    from app.services.context import ServiceContext

    path = tmp_path / "launch.sqlite3"
    db = open_database(path, create=True).db
    World(ServiceContext(db)).finding()
    db.dispose()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XUNCHA_ALLOW_HEADLESS": "1", "XUNCHA_LAUNCH_PROBE": "modules",
           "XUNCHA_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(path)], capture_output=True, text=True,
                            timeout=120, env=env)
    lines = result.stdout.splitlines()
    assert "xuncha-window-usable" in lines, result.stderr[-2000:]
    modules = json.loads(lines[lines.index("xuncha-window-usable") + 1])
    assert "app.ui.pages.dashboard" in modules and "app.services.launch_summary" in modules  # the overview was painted
    early = sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in DEFERRED))
    assert early == []


def test_the_models_package_loads_sqlalchemy_only_when_a_model_is_asked_for():
    probe = (
        "import sys\n"
        "from app.models import crypto, peek\n"
        "from app.models.enums import Stage\n"
        "assert 'sqlalchemy' not in sys.modules\n"
        "from app.models import Finding, synced_models\n"
        "assert Finding.__tablename__ == 'findings' and 'sqlalchemy' in sys.modules\n"
        "print(len(synced_models()))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from app.models import synced_models

    assert int(result.stdout) == len(synced_models()) > 20  # every model mapped, as with the eager package


# Not needed to show a team laptop's login dialog: the above but the dialog itself, and what the
# login runs (imported in a worker while the person types: app.ui.login_dialog.prepare_login).
LOGIN_DEFERRED = (*(d for d in DEFERRED if d != "app.ui.login_dialog"), "sqlcipher3", "app.models.account_keys",
                  "app.services.auth", "app.services.keyring", "app.services.accounts")


def test_the_login_dialog_is_shown_before_sqlalchemy_crypto_and_the_services_are_imported(tmp_path):
    from app.services.setup import create_encrypted

    path = tmp_path / "team.sqlite3"
    create_encrypted(path, password="巡察一组-口令2026", username="admin").db.dispose()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XUNCHA_ALLOW_HEADLESS": "1", "XUNCHA_LAUNCH_PROBE": "modules",
           "XUNCHA_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-m", "app", "--db", str(path)], capture_output=True, text=True,
                            timeout=120, env=env)
    lines = result.stdout.splitlines()
    assert "xuncha-login-usable" in lines, result.stderr[-2000:]
    modules = json.loads(lines[lines.index("xuncha-login-usable") + 1])
    assert "app.ui.login_dialog" in modules and "app.ui.main_window" in modules
    early = sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in LOGIN_DEFERRED))
    assert early == []
    assert result.returncode == 0 and "Traceback" not in result.stderr  # closed as 退出 closes it
