"""Document numbers: 市委巡〔2026〕3号, per issuer and year, no gaps or duplicates under concurrency."""

from __future__ import annotations

import multiprocessing
import re
import threading

import pytest

from app.models.db import Database, is_server_url
from app.services.context import ServiceContext
from app.services.documents import IssuedDocumentService, format_number, issue_number, next_sequence
from app.services.errors import ValidationError

PER_WORKER = 25
NUMBER = re.compile(r"^(.+)〔(\d{4})〕(\d+)号$")


def test_format_has_no_padding_and_no_di():
    assert format_number("市委巡", 2026, 3) == "市委巡〔2026〕3号"
    assert format_number("县委巡办", 2025, 12) == "县委巡办〔2025〕12号"


def test_sequences_are_per_issuer_and_year(ctx):
    assert issue_number(ctx, "市委巡", 2026) == "市委巡〔2026〕1号"
    assert issue_number(ctx, "市委巡", 2026) == "市委巡〔2026〕2号"
    assert issue_number(ctx, "市委巡办", 2026) == "市委巡办〔2026〕1号"
    assert issue_number(ctx, "市委巡", 2027) == "市委巡〔2027〕1号"


def test_issuing_records_the_document_with_its_default_issuer(ctx):
    doc = IssuedDocumentService(ctx).issue(kind="notice", title="整改通知书", year=2026)
    assert doc.number_text == "市委巡办〔2026〕1号"
    assert IssuedDocumentService(ctx).list()[0].number_text == doc.number_text


def test_a_rolled_back_issue_gives_its_number_back(ctx):
    issue_number(ctx, "市委巡", 2026)
    with pytest.raises(RuntimeError), ctx.db.write() as session:
        next_sequence(session, "市委巡", 2026)
        raise RuntimeError("the PDF could not be written")
    assert issue_number(ctx, "市委巡", 2026) == "市委巡〔2026〕2号"


def test_bad_issuer_and_year_are_refused(ctx):
    with pytest.raises(ValidationError, match="代字"):
        issue_number(ctx, "市委 巡", 2026)
    with pytest.raises(ValidationError, match="年份"):
        issue_number(ctx, "市委巡", 26)


def _worker(path: str, out) -> None:
    db = Database.open_url(path) if is_server_url(path) else Database.open_path(path)
    ctx = ServiceContext(db)
    out.put([issue_number(ctx, "市委巡", 2026) for _ in range(PER_WORKER)])
    db.dispose()


def _sequences(numbers: list[str]) -> list[int]:
    return sorted(int(NUMBER.match(n).group(3)) for n in numbers)


def test_concurrent_processes_never_share_or_skip_a_number(db):
    path = db.url if db.is_server else db.url.removeprefix("sqlite:///")
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    workers = [spawn.Process(target=_worker, args=(path, queue)) for _ in range(3)]
    for w in workers:
        w.start()
    numbers = [n for _ in workers for n in queue.get(timeout=120)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert _sequences(numbers) == list(range(1, 3 * PER_WORKER + 1))


def test_concurrent_threads_never_share_or_skip_a_number(ctx):
    numbers: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        mine = [issue_number(ctx, "市委巡", 2026) for _ in range(PER_WORKER)]
        with lock:
            numbers.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _sequences(numbers) == list(range(1, 4 * PER_WORKER + 1))
