"""Keyword search over findings, interviews, petitions, document reviews and visits.

Queries of three or more characters are trigram phrase matches. A one- or two-character word
(公车, 吃喝 — most Chinese keywords) is shorter than a trigram, so it is expanded through the index's
vocabulary into the trigrams that begin with it (each indexed body ends with two pad spaces, so
every short substring begins some trigram). Several words separated by spaces must all match.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    cast,
    column,
    false,
    func,
    select,
    table,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.models import SearchDoc
from app.models.search_index import FTS_TABLE, INDEXED, VOCAB_TABLE, postgresql_rebuild_sql, rebuild_sql

from . import permissions
from .context import ServiceContext
from .crud import as_uuid
from .errors import ValidationError

# A very common single character can begin thousands of trigrams; past this many, an OR query
# is slower than scanning the text.
_MAX_EXPANSION = 3000
ENTITY_LABELS = {"finding": "问题", "interview": "谈话", "petition": "信访", "document_review": "查阅资料", "visit": "走访",
                 "briefing": "听取汇报", "group_talk": "分类座谈", "survey": "民主测评", "meeting": "见面会/反馈会"}
# Longer than any keyword anyone types; a pasted page would only make a slow, useless query.
MAX_QUERY_CHARS = 200
# How many of the newest records (or the register's first rows in its order) are read and tested
# in Python before asking the index. A word in most records (违, 领导 — in every finding) fills the
# first page from them, where the index would list 100,000 matches only for the page to show 100;
# a rarer word costs this small read on top of the index lookup (see `first_matches`).
WINDOW = 1000
# Read first, to tell a word too rare to fill a page from the window without reading all of it.
PROBE = WINDOW // 5
_CONTROL = dict.fromkeys([*range(0x00, 0x20), 0x7F], " ")


@dataclass(frozen=True)
class SearchHit:
    entity: str
    entity_id: uuid.UUID
    inspection_id: uuid.UUID | None
    title: str
    snippet: str


def clean_query(query: str) -> str:
    """The query as text the index can take: control characters (NUL included) become spaces, a
    surrogate pair typed as two halves becomes its character, and a lone half is dropped (SQLite
    cannot store it as UTF-8). Refused in Chinese when nothing searchable is left, or when it is
    far longer than a keyword."""
    chars: list[str] = []
    i = 0
    while i < len(query):
        c = query[i]
        code = ord(c)
        if 0xD800 <= code <= 0xDBFF and i + 1 < len(query) and 0xDC00 <= ord(query[i + 1]) <= 0xDFFF:
            chars.append(chr(0x10000 + ((code - 0xD800) << 10) + (ord(query[i + 1]) - 0xDC00)))
            i += 2
            continue
        if not 0xD800 <= code <= 0xDFFF:
            chars.append(c)
        i += 1
    cleaned = "".join(chars).translate(_CONTROL).strip()
    if len(cleaned) > MAX_QUERY_CHARS:
        raise ValidationError(f"搜索词太长（最多 {MAX_QUERY_CHARS} 个字），请缩短后再搜索。", "query")
    if not cleaned and query.strip():
        raise ValidationError("搜索词中只有无法识别的字符，请重新输入。", "query")
    return cleaned


def split_terms(query: str) -> list[str]:
    return [t for t in clean_query(query).lower().split() if t]


def body_matches(body: str, terms: Sequence[str]) -> bool:
    """The index's rule for one record, tested in Python: its text holds every word, case folded."""
    lowered = body.lower()
    return all(term in lowered for term in terms)


@contextmanager
def window(session: Session, stmt: Select[*tuple[Any, ...]], probe: int | None = None) -> Iterator[Iterator[Any]]:
    """The first WINDOW rows of `stmt` as `first_matches` reads them: from one statement, so a record
    committed meanwhile cannot shift the rest of the window against its head (PostgreSQL reads
    each statement as of its start; two reads by OFFSET could show a row twice or skip one). Rows are
    fetched as they are read (a server-side cursor, `probe` rows at a time), so a probe that sends
    the word to the index costs no more than its own rows."""
    probe = PROBE if probe is None else probe
    # Read whole (no probe) it is one plain fetch: a server-side cursor would cost PostgreSQL ~4 ms more.
    result = session.execute(stmt.limit(WINDOW), execution_options={"yield_per": probe} if probe < WINDOW else {})
    try:
        yield iter(result)
    finally:
        result.close()


class WindowRead(NamedTuple):
    """What `read_window` saw: the matching keys among the rows it read, in display order, how many
    rows that was, and whether they were every record there is."""

    found: list[Any]
    read: int
    complete: bool

    def answer(self, needed: int) -> tuple[list[Any], bool] | None:
        """`first_matches`'s answer: the keys and whether they are all, or None (ask the index)."""
        return (self.found, self.complete) if len(self.found) >= needed or self.complete else None


def read_window(rows: Iterable[tuple[Any, str]], terms: Sequence[str], needed: int,
                probe: int | None = None) -> WindowRead:
    """The rows of a window tested in Python (see `first_matches`): only `probe` of them when the
    word is too rare there to fill the page at its rate."""
    probe = PROBE if probe is None else probe
    rows = iter(rows)
    read = list(islice(rows, probe))
    found = [key for key, body in read if body_matches(body, terms)]
    if len(read) == probe < WINDOW:
        if len(found) * WINDOW < needed * probe:
            return WindowRead(found, len(read), False)
        rest = list(islice(rows, WINDOW - probe))
        found += [key for key, body in rest if body_matches(body, terms)]
        read += rest
    return WindowRead(found, len(read), len(read) < WINDOW)


def first_matches(rows: Iterable[tuple[Any, str]], terms: Sequence[str],
                  needed: int, probe: int | None = None) -> tuple[list[Any], bool] | None:
    """The keys of the first records in display order that hold every word, when they answer the
    question by themselves, and whether they are the whole answer; else None (the index must answer).

    `rows` gives (key, body) pairs in display order, at most WINDOW of them (`window`). They are
    read — `probe` of them (PROBE unless given) first: a word too rare to fill the page at its rate
    there goes to the index at once — and tested in Python. They answer when they hold `needed`
    matches (the first `needed` of the whole answer, whatever the backend), or when they are every
    record there is."""
    return read_window(rows, terms, needed, probe).answer(needed)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class _NothingMatches(Exception):
    """A word of the query occurs nowhere in the index."""


def _short_term_expansion(session: Session, term: str) -> list[str] | None:
    """Trigrams starting with `term`; None when too many to be worth an index query."""
    rows = session.execute(
        text(f"SELECT term FROM {VOCAB_TABLE} WHERE term >= :lo AND term < :hi LIMIT :cap"),
        {"lo": term, "hi": term + "\U0010ffff", "cap": _MAX_EXPANSION + 1},
    ).scalars().all()
    return None if len(rows) > _MAX_EXPANSION else list(rows)


def _match_expression(session: Session, terms: list[str]) -> tuple[str | None, list[str]]:
    """An FTS5 MATCH expression for the terms the index can answer, and the ones it cannot."""
    parts: list[str] = []
    scan: list[str] = []
    for term in terms:
        if len(term) >= 3:
            parts.append(_quote(term))
            continue
        expansion = _short_term_expansion(session, term)
        if expansion is None:
            scan.append(term)
        elif not expansion:
            raise _NothingMatches
        else:
            parts.append("(" + " OR ".join(_quote(t) for t in expansion) + ")")
    return (" AND ".join(parts) if parts else None), scan


def matching_docs(session: Session, query: str, *, walk: bool = False) -> Select[int] | None:
    """A select of `search_docs.rowid` matching the query, or None for an empty query.

    `walk`: its conditions are for a caller that reads search_docs in another index's order and
    stops at a LIMIT (`register._docs_page`): SQLite then tests each record's rowid against the
    index's matches instead of looking every match up by rowid and sorting them all."""
    terms = split_terms(query)
    if not terms:
        return None
    if session.get_bind().dialect.name == "postgresql":
        return _server_matching_docs(terms)
    if session.get_bind().dialect.name != "sqlite":
        stmt = select(SearchDoc.rowid)
        for term in terms:
            stmt = stmt.where(func.lower(SearchDoc.body).contains(term, autoescape=True))
        return stmt
    try:
        expression, scan = _match_expression(session, terms)
    except _NothingMatches:
        return select(SearchDoc.rowid).where(false())
    stmt = select(SearchDoc.rowid)
    if expression is not None:
        fts = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expr").bindparams(expr=expression)
        # `rowid + 0` is not the rowid to SQLite's planner, so it cannot drive the query from the matches.
        stmt = stmt.where((SearchDoc.rowid + 0 if walk else SearchDoc.rowid).in_(fts))
    for term in scan:
        stmt = stmt.where(func.instr(func.lower(SearchDoc.body), term) > 0)
    return stmt


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _server_grams() -> ColumnElement[Any]:
    # Exactly the indexed expression (search_index.PG_GRAMS_INDEX), so the planner uses the index.
    return type_coerce(func.xuncha_search_grams(SearchDoc.body).collate("C"), postgresql.ARRAY(Text))


def _server_matching_docs(terms: list[str]) -> Select[int]:
    """PostgreSQL: the same rows as FTS5's trigram index — bodies containing every word, case folded.

    A word of three or more characters is an ILIKE the pg_trgm GIN index answers. A shorter one has no
    trigram to look up. Without letters that have case (Chinese, digits: nothing to fold) it is one
    of the characters or character pairs the grams index holds for every body (GIN, exact: `@>`
    needs no recheck); with them (an English abbreviation) it is an ILIKE over the rows the other
    words left, or over all of them."""
    stmt = select(SearchDoc.rowid)
    for term in sorted(terms, key=len, reverse=True):
        if len(term) < 3 and term == term.upper():
            # Both say the same; the planner picks (it knows the grams' cost): the index for every row
            # of a word, or, for the newest few of a common one, a walk down the rowids testing strpos
            # (cheap) first and computing the grams only of the rows that pass.
            stmt = stmt.where(_server_grams().contains(postgresql.array([cast(term, postgresql.TEXT)])),
                              func.strpos(SearchDoc.body, term) > 0)
        else:
            stmt = stmt.where(SearchDoc.body.ilike(_like_pattern(term), escape="\\"))
    return stmt


def matching_ids(session: Session, query: str, entity: str) -> Select[uuid.UUID] | None:
    """A select of record ids of one entity matching the query (for filtering a register)."""
    docs = matching_docs(session, query)
    if docs is None:
        return None
    return select(SearchDoc.entity_id).where(SearchDoc.entity == entity, SearchDoc.rowid.in_(docs))


def _snippet(body: str, terms: list[str], width: int = 60) -> str:
    lowered = body.lower()
    positions = [lowered.find(t) for t in terms if lowered.find(t) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = body[start : start + width].replace("\n", " ").strip()
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(body.rstrip()) else "")


def search(
    ctx: ServiceContext,
    query: str,
    *,
    entities: tuple[str, ...] | None = None,
    inspection_id: uuid.UUID | str | None = None,
    limit: int = 200,
) -> list[SearchHit]:
    """The global search box: records of any kind whose text contains every word of the query,
    newest first. A word in many records is found among the newest records read in Python (no
    vocabulary lookup, no index: 任 on SQLite 130–250 → ~10 ms); a rarer one through the index."""
    terms = split_terms(query)
    if not terms:
        return []
    with ctx.db.read() as session:
        scope: list[ColumnElement[bool]] = []
        if entities:
            unknown = set(entities) - set(INDEXED)
            if unknown:
                raise ValueError(f"not searchable: {sorted(unknown)}")
            scope.append(SearchDoc.entity.in_(entities))
        if inspection_id is not None:
            scope.append(SearchDoc.inspection_id == as_uuid(inspection_id))
        # A member finds only what their teams' inspections hold.
        visible = permissions.visible_inspections(session, ctx.actor)
        if visible is not None:
            scope.append(SearchDoc.inspection_id.in_(sorted(visible)))
        columns = select(SearchDoc.entity, SearchDoc.entity_id, SearchDoc.inspection_id, SearchDoc.title,
                         SearchDoc.body).where(*scope).order_by(SearchDoc.rowid.desc())
        # No probe here: the newest records come in runs of one kind (a team's visits after its
        # findings), so a word's rate in the newest fifth says little about the rest.
        with window(session, columns, probe=WINDOW) as window_rows:
            newest = first_matches(((r, r.body) for r in window_rows), terms, limit, probe=WINDOW)
        rows = newest[0] if newest is not None else session.execute(
            _newest_first(session, query, columns).limit(limit)).all()
        return [SearchHit(r.entity, r.entity_id, r.inspection_id, r.title or "", _snippet(r.body, terms))
                for r in rows[:limit]]


def _newest_first(session: Session, query: str, columns: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """The matching records newest first, in a form the engine can stop early on.

    On SQLite the FTS5 table drives the query and hands out its matches in descending rowid order
    itself, so the first 200 of a word in every finding cost 200 lookups (违: 50 ms → 3 ms) instead
    of listing 100,000 matches to sort them. PostgreSQL's planner walks the newest rows by itself
    when a word is common (it has the grams' statistics)."""
    terms = split_terms(query)
    if session.get_bind().dialect.name == "sqlite":
        try:
            expression, scan = _match_expression(session, terms)
        except _NothingMatches:
            return columns.where(false())
        if expression is not None:
            fts = table(FTS_TABLE, column("rowid"))
            stmt = (columns.join_from(fts, SearchDoc, SearchDoc.rowid == fts.c.rowid)
                    .where(text(f"{FTS_TABLE} MATCH :expr").bindparams(expr=expression))
                    .order_by(None).order_by(fts.c.rowid.desc()))
            for term in scan:
                stmt = stmt.where(func.instr(func.lower(SearchDoc.body), term) > 0)
            return stmt
    docs = matching_docs(session, query)
    return columns if docs is None else columns.where(SearchDoc.rowid.in_(docs))


def count_matches(ctx: ServiceContext, query: str, entity: str = "finding") -> int:
    with ctx.db.read() as session:
        ids = matching_ids(session, query, entity)
        if ids is None:
            return 0
        visible = permissions.visible_inspections(session, ctx.actor)
        if visible is not None:
            ids = ids.where(SearchDoc.inspection_id.in_(sorted(visible)))
        return int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)


def rebuild_index(ctx: ServiceContext) -> None:
    """Re-derive the keyword index from the records (a repair)."""
    statements = postgresql_rebuild_sql() if ctx.db.is_server else rebuild_sql() if ctx.db.is_sqlite else []
    with ctx.write() as session:
        for statement in statements:
            session.execute(text(statement))


# Every block of the keyword index and every indexed text, read once (a block fits its page: the
# blob's length comes from the page itself; a body's length counts its characters, overflow included).
_INDEX_READS = (f"SELECT sum(length(block)) FROM {FTS_TABLE}_data", "SELECT sum(length(body)) FROM search_docs")


def read_index_once(ctx: ServiceContext) -> int:
    """Read the keyword index and its texts through once, so that the first search after a start
    finds their pages in the system's file cache. From a cold cache the first word over the bench's
    100,000 findings took 110–126 ms, 37–56 ms warm (docs/performance.md). A SQLite file only (a
    server keeps its own cache); bytes read, 0 when it could not read (the first search is then as
    it would have been: nothing depends on this)."""
    if not ctx.db.is_sqlite:
        return 0
    try:
        with ctx.db.read() as session:
            return sum(int(session.execute(text(sql)).scalar() or 0) for sql in _INDEX_READS)
    except Exception:  # noqa: BLE001 - a best-effort read (the window closing, a file being re-keyed)
        logging.getLogger(__name__).info("the keyword index was not read ahead", exc_info=True)
        return 0
