"""专题报告: the team's report to the leading group (上行文: may carry 签发人)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Block, Heading, OfficialDocument, Paragraph, Table


@dataclass(frozen=True)
class ReportSection:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    subsections: list[ReportSection] = field(default_factory=list)
    table: Table | None = None


@dataclass(frozen=True)
class SpecialReport:
    title: str  # 关于巡察××镇党委情况的专题报告
    addressee: str  # 县委巡察工作领导小组
    sections: list[ReportSection]
    signature: str
    date: dt.date
    intro: list[str] = field(default_factory=list)
    issuer_mark: str | None = None
    doc_number: str | None = None
    signers: list[str] = field(default_factory=list)
    secrecy: str | None = None
    cc: list[str] = field(default_factory=list)
    printer: str | None = None
    print_date: dt.date | None = None


def _section(s: ReportSection, level: int) -> list[Block]:
    out: list[Block] = [Heading(min(level, 4), s.title)]
    out += [Paragraph(p) for p in s.paragraphs]
    if s.table is not None:
        out.append(s.table)
    for sub in s.subsections:
        out += _section(sub, level + 1)
    return out


def build(r: SpecialReport) -> OfficialDocument:
    body: list[Block] = [Paragraph(p) for p in r.intro]
    for s in r.sections:
        body += _section(s, 1)
    return OfficialDocument(
        title=r.title, body=body, issuer_mark=r.issuer_mark, doc_number=r.doc_number, signers=list(r.signers),
        secrecy=r.secrecy, addressee=r.addressee, signature=r.signature, date=r.date, cc=list(r.cc),
        printer=r.printer, print_date=r.print_date, author=r.signature,
    )
