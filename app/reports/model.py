"""Plain data describing an official document; builders fill these, the layout engine prints them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from .fonts import FontReport

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Heading:
    """A numbered heading: 1 一、(黑体) 2 （一）(楷体) 3 1.(仿宋) 4 （1）(仿宋).

    Numbers are assigned in order unless numbered is False. body, if given, continues the same
    paragraph in 仿宋 after the heading (run-in headings such as "（一）关于……。正文……").
    """

    level: int
    text: str
    body: str = ""
    numbered: bool = True

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"heading level must be 1-4, not {self.level}")


@dataclass(frozen=True)
class Paragraph:
    text: str
    indent: bool = True  # first line indented two characters (正文 convention)
    align: Align = "justify"


@dataclass(frozen=True)
class Table:
    """A ruled table across the text block; header rows repeat on every page it spans.

    col_widths are relative (any unit); None shares the width equally. align gives each column's
    alignment ('left' or 'center'); None centres short columns and left-aligns the rest.
    """

    header: list[list[str]]
    rows: list[list[str]]
    col_widths: list[float] | None = None
    align: list[str] | None = None
    font_size: float = 12.0  # 小四


@dataclass(frozen=True)
class Blank:
    lines: int = 1


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Blank | PageBreak


@dataclass(frozen=True)
class Attachment:
    """附件: printed on its own pages after the body, before the 版记."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class OfficialDocument:
    """One document in GB/T 9704-2012 layout.

    issuer_mark is the red 发文机关标志 (e.g. "中共××县委巡察工作领导小组文件"); without it the
    document has no 版头 and the title starts on the first line (公告, drafts). layout "letter" is
    the 信函格式 used for 函 (督办函, 移交函).
    """

    title: str
    body: list[Block]
    issuer_mark: str | None = None
    doc_number: str | None = None  # 发文字号, e.g. 市委巡〔2026〕3号
    signers: list[str] = field(default_factory=list)  # 签发人 (上行文)
    copy_number: str | None = None  # 份号
    secrecy: str | None = None  # 密级和保密期限, e.g. 秘密★1年
    urgency: str | None = None  # 紧急程度
    addressee: str | None = None  # 主送机关, colon added
    attachments_note: list[str] | None = None  # None: taken from attachments
    signature: str | None = None  # 发文机关署名
    date: dt.date | None = None  # 成文日期
    sealed: bool = True  # 加盖印章: date right-indented 4 chars, signature centred above it
    note: str | None = None  # 附注, e.g. 此件公开发布
    attachments: list[Attachment] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)  # 抄送
    printer: str | None = None  # 印发机关
    print_date: dt.date | None = None  # 印发日期
    layout: Literal["standard", "letter"] = "standard"
    mark_size: float | None = None  # font size of the 标志; None picks a default for the layout
    author: str = ""  # PDF metadata
    # "record": a record for signature (谈话笔录) — "第 x 页 共 y 页" and a signature line on every
    # page instead of the 公文 page number; record_sign is that line's label.
    footer: Literal["page-number", "record"] = "page-number"
    record_sign: str = ""
    # Words the title and the 主送机关 must never break inside (unit names, people's names …).
    keep_together: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 1.0  # relative
    align: str = "left"


@dataclass(frozen=True)
class RegisterTable:
    """A landscape register (台账): title, an optional subtitle line, a table, an optional note."""

    title: str
    columns: list[Column]
    rows: list[list[str]]
    subtitle: str | None = None
    note: str | None = None
    font_size: float = 10.5  # 五号
    author: str = ""


@dataclass(frozen=True)
class RenderResult:
    page_count: int
    font_report: FontReport


def cn_date(d: dt.date) -> str:
    """2026年11月21日 — Arabic numerals, no zero padding (GB/T 9704 7.3.5)."""
    return f"{d.year}年{d.month}月{d.day}日"
