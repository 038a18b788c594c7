"""The keyword index over findings and the team's records (interviews, petitions, document reviews,
visits, briefings, group talks, surveys, meetings).

SQLite triggers keep it in step with every write — services, sync imports and hand edits alike —
so no code path can forget to index. `search_docs` holds one row of text per record under a stable
integer rowid (the UUID-keyed tables have none that survives VACUUM); `search_fts` is an FTS5
external-content index over it with the trigram tokenizer, so Chinese substrings of three or more
characters match. Shorter queries are answered through the index's vocabulary (see
app/services/search.py): every body ends with two pad spaces so each 1–2 character substring is
the start of some trigram.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, code_column


class SearchDoc(Base):
    """Local derived data, rebuilt from the records; never synced."""

    __tablename__ = "search_docs"

    rowid: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = code_column()
    entity_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    body: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(200))


PAD = "  "

# entity name → (table, title expression, the text columns that make up the body)
INDEXED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "finding": ("findings", "title", ("title", "facts", "characterisation", "responsibility", "responsible_people")),
    "interview": ("interviews", "interviewee_name", ("interviewee_name", "interviewee_post", "place", "summary", "transcript")),
    "petition": ("petitions", "subject_name", ("subject_name", "subject_post", "reporter_name", "content", "handling")),
    "document_review": ("document_reviews", "title", ("title", "material_kind", "period", "notes")),
    "visit": ("visits", "place", ("place", "people_met", "content")),
    "briefing": ("briefings", "reporter_name", ("reporter_name", "reporter_post", "place", "content", "concerns")),
    "group_talk": ("group_talks", "place", ("place", "attendees", "notes")),
    "survey": ("surveys", "title", ("title", "subject", "notes")),
    "meeting": ("inspection_meetings", "place", ("place", "host", "attendees", "content")),
}

FTS_TABLE = "search_fts"
VOCAB_TABLE = "search_fts_vocab"


def _body_sql(columns: tuple[str, ...]) -> str:
    joined = " || char(10) || ".join(f"coalesce(new.{c}, '')" for c in columns)
    return f"{joined} || '{PAD}'"


def _fts_tables_ddl() -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        f"body, content='search_docs', content_rowid='rowid', tokenize='trigram')",
        f"CREATE VIRTUAL TABLE {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, 'row')",
    ]


def _docs_triggers_ddl() -> list[str]:
    return [
        f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.rowid, new.body); END",
        f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.rowid, old.body); END",
        f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.rowid, old.body); "
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.rowid, new.body); END",
    ]


def _entity_triggers_ddl() -> list[str]:
    ddl = []
    for entity, (table, title_col, columns) in INDEXED.items():
        body = _body_sql(columns)
        insert = (
            f"INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) "
            f"SELECT '{entity}', new.id, new.inspection_id, {body}, substr(new.{title_col}, 1, 200) "
            f"WHERE new.deleted_at IS NULL;"
        )
        watched = ", ".join((*columns, "deleted_at", "inspection_id"))
        ddl += [
            f"CREATE TRIGGER {table}_search_ai AFTER INSERT ON {table} BEGIN {insert} END",
            # Only text edits and (un)deletes touch the index: a batch status change stays cheap.
            f"CREATE TRIGGER {table}_search_au AFTER UPDATE OF {watched} ON {table} BEGIN "
            f"DELETE FROM search_docs WHERE entity_id = old.id; {insert} END",
            f"CREATE TRIGGER {table}_search_ad AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM search_docs WHERE entity_id = old.id; END",
        ]
    return ddl


def _drop_triggers_ddl() -> list[str]:
    drops = [f"DROP TRIGGER IF EXISTS {t}_search_{s}" for t, _, _ in INDEXED.values() for s in ("ai", "au", "ad")]
    return drops + [f"DROP TRIGGER IF EXISTS search_docs_{s}" for s in ("ai", "ad", "au")]


def sqlite_ddl() -> list[str]:
    """Statements that create the FTS index and every trigger feeding it (SQLite only)."""
    return _fts_tables_ddl() + _docs_triggers_ddl() + _entity_triggers_ddl()


def sqlite_drop_ddl() -> list[str]:
    return _drop_triggers_ddl() + [f"DROP TABLE IF EXISTS {VOCAB_TABLE}", f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def suspend_sql() -> list[str]:
    """Turn incremental indexing off for a bulk load; `rebuild_sql` turns it back on."""
    return _drop_triggers_ddl()


def rebuild_sql() -> list[str]:
    """Re-derive the whole index from the records in one pass (after a bulk load, or as a repair)."""
    stmts = [*_drop_triggers_ddl(), "DELETE FROM search_docs"]
    for entity, (table, title_col, columns) in INDEXED.items():
        body = _body_sql(columns).replace("new.", "")
        stmts.append(
            f"INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) "
            f"SELECT '{entity}', id, inspection_id, {body}, substr({title_col}, 1, 200) FROM {table} "
            f"WHERE deleted_at IS NULL"
        )
    stmts.append(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    # A rebuild leaves several large segments that FTS5 would otherwise merge during the next
    # statement that flushes new index data: that write (a user's save, or a sync import) would
    # stall for seconds. Merging them now costs the same once, where a rebuild is expected to wait.
    stmts.append(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    return stmts + _docs_triggers_ddl() + _entity_triggers_ddl()


BULK_HASHSIZE = 64 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024


def hashsize_sql(size: int) -> str:
    """FTS5 keeps this much of a transaction's new index in memory before writing a segment: a
    larger value for a bulk load means far fewer segments to write and merge. The setting is stored
    in the index, so a bulk load sets it back to the default in the same transaction."""
    return f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {int(size)})"


def is_internal_table(name: str) -> bool:
    """FTS5 virtual tables and their shadow tables, which the models do not describe."""
    return name.startswith(FTS_TABLE)


# --- PostgreSQL -----------------------------------------------------------------------------------
# The same search_docs rows, kept by PL/pgSQL triggers, indexed by pg_trgm (GIN): a word of three or
# more characters is a trigram-indexed ILIKE, exactly the substrings FTS5's trigram tokenizer finds.
# pg_trgm counts a character as part of a word by the database's LC_CTYPE, so the database must be
# created with a UTF-8 locale (C.UTF-8, zh_CN.UTF-8 …): under the C locale Chinese has no trigrams.
# Shorter words are answered by app/services/search.py (see there).
PG_TRGM_INDEX = "ix_search_docs_body_trgm"
PG_FUNCTION_PREFIX = "xuncha_search_"
# Words of one or two characters have no trigram: each body's distinct characters and character pairs
# are indexed instead, as a text[] computed by this function (no column: the GIN index holds them).
# Built from C-level string functions only — the characters, then the pairs at even and at odd
# positions — in one expression: a set-returning SQL function or a PL/pgSQL loop per body was ten
# times slower to build. Splitting on spaces can only drop pairs that hold a space and never makes
# a gram that is not in the body; a query word never holds a space. GIN drops the duplicates.
PG_GRAMS_FUNCTION = "xuncha_search_grams"
PG_GRAMS_INDEX = "ix_search_docs_body_grams"
# Building the grams index over 100,000 findings needs more sort memory than the default 64 MB,
# which would make GIN flush and merge its entries many times (3 min instead of well under 1).
PG_GRAMS_BUILD_MEMORY = "256MB"


def postgresql_grams_ddl() -> list[str]:
    """The one- and two-character index (PostgreSQL only; revision 0010)."""
    return [
        # PL/pgSQL, never inlined, so the planner sees its COST: a filter that computed the grams of
        # every body (a word in most records, 违) was three times slower than reading the bodies; with
        # the cost known it reads the index, or tests strpos first. PARALLEL UNSAFE: a parallel walk
        # down the newest rows cost more to start (100 ms on a busy 2-core machine) than it saved.
        f"CREATE OR REPLACE FUNCTION {PG_GRAMS_FUNCTION}(body text) RETURNS text[] "
        "LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE COST 1000 AS $$ BEGIN "
        "RETURN string_to_array(body, NULL) "
        "|| string_to_array(regexp_replace(body, '(..)', '\\1 ', 'g'), ' ') "
        "|| string_to_array(regexp_replace(substr(body, 2), '(..)', '\\1 ', 'g'), ' '); END $$",
        f"SET LOCAL maintenance_work_mem = '{PG_GRAMS_BUILD_MEMORY}'",
        # COLLATE "C": GIN compares every gram it sorts, and the database's UTF-8 collation made that
        # the better part of the build; the query says the same (app/services/search.py).
        f'CREATE INDEX IF NOT EXISTS {PG_GRAMS_INDEX} ON search_docs USING gin (({PG_GRAMS_FUNCTION}(body) COLLATE "C"))',
        # The planner's statistics of the new expression (how common each gram is): without them it
        # guessed every word rare and fetched all 18,000 records of 资金 for the newest 200 (78 ms
        # instead of 20), until autovacuum's next ANALYZE.
        "ANALYZE search_docs",
    ]


def postgresql_grams_drop_ddl() -> list[str]:
    return [f"DROP INDEX IF EXISTS {PG_GRAMS_INDEX}", f"DROP FUNCTION IF EXISTS {PG_GRAMS_FUNCTION}(text)"]


def _pg_body(columns: tuple[str, ...]) -> str:
    # ::text: a JSON column (a list of attendees) is indexed as its stored text, as on SQLite.
    joined = " || chr(10) || ".join(f"coalesce(NEW.{c}::text, '')" for c in columns)
    return f"{joined} || '{PAD}'"


def postgresql_ddl() -> list[str]:
    """The trigram index and the triggers feeding search_docs (PostgreSQL only)."""
    ddl = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX IF NOT EXISTS {PG_TRGM_INDEX} ON search_docs USING gin (body gin_trgm_ops)",
    ]
    for entity, (table, title_col, columns) in INDEXED.items():
        function = f"{PG_FUNCTION_PREFIX}{table}"
        ddl.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            "  IF TG_OP <> 'INSERT' THEN DELETE FROM search_docs WHERE entity_id = OLD.id; END IF;\n"
            "  IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN\n"
            "    INSERT INTO search_docs(entity, entity_id, inspection_id, body, title)\n"
            f"    VALUES ('{entity}', NEW.id, NEW.inspection_id, {_pg_body(columns)}, substr(NEW.{title_col}, 1, 200));\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        watched = ", ".join((*columns, "deleted_at", "inspection_id"))
        ddl += [
            f"CREATE TRIGGER {table}_search_ai AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
            # Only text edits and (un)deletes touch the index, as on SQLite.
            f"CREATE TRIGGER {table}_search_au AFTER UPDATE OF {watched} ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {table}_search_ad AFTER DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    return ddl


def postgresql_drop_ddl() -> list[str]:
    drops = [f"DROP TRIGGER IF EXISTS {t}_search_{s} ON {t}" for t, _, _ in INDEXED.values() for s in ("ai", "au", "ad")]
    drops += [f"DROP FUNCTION IF EXISTS {PG_FUNCTION_PREFIX}{t}()" for t, _, _ in INDEXED.values()]
    return [*drops, f"DROP INDEX IF EXISTS {PG_TRGM_INDEX}"]


def postgresql_rebuild_sql() -> list[str]:
    """Re-derive search_docs from the records (a repair, or after rows were copied in with the
    triggers off)."""
    stmts = ["DELETE FROM search_docs"]
    for entity, (table, title_col, columns) in INDEXED.items():
        body = _pg_body(columns).replace("NEW.", "")
        stmts.append(
            f"INSERT INTO search_docs(entity, entity_id, inspection_id, body, title) "
            f"SELECT '{entity}', id, inspection_id, {body}, substr({title_col}, 1, 200) FROM {table} "
            f"WHERE deleted_at IS NULL ORDER BY created_at, id"
        )
    return stmts


def is_internal_index(name: str) -> bool:
    """Indexes made by hand-written DDL rather than described by the models."""
    return name in (PG_TRGM_INDEX, PG_GRAMS_INDEX)
