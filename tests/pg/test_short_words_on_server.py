"""Words of one and two characters on the server are answered by the index of each body's characters
and character pairs (migration 0010), not by reading every body: the query is the indexed expression
(collation included, or the planner could not use it), `xuncha check` names the index when it is
gone, and the revision goes down and up again."""

from __future__ import annotations

import pytest
from conftest import World
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import migrate
from app.models.search_index import PG_GRAMS_FUNCTION, PG_GRAMS_INDEX
from app.services import search
from app.services.setup import open_database


@pytest.fixture
def server_world(pg_url):
    opened = open_database(pg_url)
    world = World(opened.ctx)
    for n in range(40):
        world.finding(title=f"第{n}号问题：违规发放津贴", facts="公车私用，节假日驶入景区。" if n % 4 == 0 else "账目不清。")
    yield world
    opened.db.dispose()


def _plan(world: World, query: str) -> str:
    with world.ctx.db.engine.connect() as conn, Session(bind=conn) as session:
        # On 40 rows reading them is cheaper; the question is whether the grams index can answer at
        # all: with plain and index scans off only a bitmap scan is left, and only it has a bitmap to give.
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_indexscan = off")
        docs = search.matching_ids(session, query, "finding")
        assert docs is not None
        compiled = docs.compile(conn, compile_kwargs={"literal_binds": True})
        return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))


@pytest.mark.parametrize("query", ["公车", "车", "津贴 景区"])
def test_a_short_word_is_looked_up_in_the_grams_index(server_world, query):
    plan = _plan(server_world, query)
    assert PG_GRAMS_INDEX in plan, plan
    assert search.count_matches(server_world.ctx, query) == 10


def test_a_missing_grams_index_is_named_by_the_check(server_world):
    db = server_world.ctx.db
    assert db.integrity_problems() == []
    with db.engine.begin() as conn:
        conn.execute(text(f"DROP INDEX {PG_GRAMS_INDEX}"))
    problems = db.integrity_problems()
    assert any("单字双字索引" in p and PG_GRAMS_INDEX in p for p in problems), problems
    assert search.count_matches(server_world.ctx, "公车") == 10  # still right, only slower


def test_the_revision_goes_down_and_up(server_world):
    from alembic import command

    db = server_world.ctx.db
    with db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0009")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT to_regclass('{PG_GRAMS_INDEX}')").scalar() is None
        assert conn.exec_driver_sql(f"SELECT count(*) FROM pg_proc WHERE proname = '{PG_GRAMS_FUNCTION}'").scalar() == 0
    db.upgrade()
    assert db.integrity_problems() == [] and migrate.schema_state(db.engine).current == migrate.head_revision()
    assert PG_GRAMS_INDEX in _plan(server_world, "公车")
    assert search.count_matches(server_world.ctx, "公车") == 10
