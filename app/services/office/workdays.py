"""Working days and the office's own settings (term length, holidays).

Deadlines such as "整改方案 within 15 working days of the feedback" skip weekends and public
holidays; a 调休 Saturday or Sunday is a working day. The State Council's holidays and 调休 days come
from the chinese-calendar package for the years it knows (it is updated each December, when the
next year's list is published); the office's own list, in this database's local settings, adds to it
and wins where they differ (a local holiday, a year the package does not know yet).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.models import Setting
from app.services.context import ServiceContext
from app.services.errors import ValidationError

HOLIDAYS_KEY = "office.holidays"
MAKEUP_WORKDAYS_KEY = "office.makeup_workdays"
TERM_YEARS_KEY = "office.term_years"
TERM_START_KEY = "office.term_start"
PLAN_WORKDAYS_KEY = "office.plan_workdays"

DEFAULT_TERM_YEARS = 3
# 整改方案: 15 working days after the feedback is the usual local rule.
DEFAULT_PLAN_WORKDAYS = 15


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        national = _national_workday(day)
        return day.weekday() < 5 if national is None else national

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The day that is `days` working days after `start` (start itself does not count)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_workday(start + dt.timedelta(days=n)))


def _national_workday(day: dt.date) -> bool | None:
    """Whether the State Council's calendar makes the day a working day (None: a year it does not know)."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - a broken installation: weekends only, and the office's list
        return None
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def add_workdays(start: dt.date, days: int, holidays: Iterable[dt.date] = (),
                 makeup_workdays: Iterable[dt.date] = ()) -> dt.date:
    return WorkCalendar(frozenset(holidays), frozenset(makeup_workdays)).add_workdays(start, days)


def _get(session: Session, key: str) -> str | None:
    setting = session.get(Setting, key)
    return setting.value if setting else None


def _dates(raw: str | None) -> frozenset[dt.date]:
    if not raw:
        return frozenset()
    try:
        return frozenset(dt.date.fromisoformat(v) for v in json.loads(raw))
    except (ValueError, TypeError):
        # A hand-edited setting must not stop every deadline from showing.
        return frozenset()


def calendar_in(session: Session) -> WorkCalendar:
    return WorkCalendar(_dates(_get(session, HOLIDAYS_KEY)), _dates(_get(session, MAKEUP_WORKDAYS_KEY)))


def load_calendar(ctx: ServiceContext) -> WorkCalendar:
    with ctx.db.read() as session:
        return calendar_in(session)


def save_calendar(ctx: ServiceContext, holidays: Iterable[dt.date], makeup_workdays: Iterable[dt.date] = ()) -> None:
    ctx.require_admin("维护节假日")
    holidays, makeup = sorted(set(holidays)), sorted(set(makeup_workdays))
    clash = set(holidays) & set(makeup)
    if clash:
        raise ValidationError(f"{min(clash).isoformat()} 不能既是节假日又是调休上班日。")
    with ctx.write() as session:
        session.merge(Setting(key=HOLIDAYS_KEY, value=json.dumps([d.isoformat() for d in holidays])))
        session.merge(Setting(key=MAKEUP_WORKDAYS_KEY, value=json.dumps([d.isoformat() for d in makeup])))


def plan_workdays_in(session: Session) -> int:
    raw = _get(session, PLAN_WORKDAYS_KEY)
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else DEFAULT_PLAN_WORKDAYS


@dataclass(frozen=True)
class Term:
    """The period within which every unit is to be inspected once (全覆盖)."""

    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.year}年{self.start.month}月—{self.end.year}年{self.end.month}月"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def term_of(start: dt.date, years: int) -> Term:
    if not 1 <= years <= 10:
        raise ValidationError("全覆盖周期应为1至10年。")
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return Term(start, end - dt.timedelta(days=1))


def term_in(session: Session, on: dt.date) -> Term:
    """The configured term, or by default the calendar years ending with this one (3 by default)."""
    raw_years = _get(session, TERM_YEARS_KEY)
    years = int(raw_years) if raw_years and raw_years.isdigit() else DEFAULT_TERM_YEARS
    raw_start = _get(session, TERM_START_KEY)
    if raw_start:
        try:
            return term_of(dt.date.fromisoformat(raw_start), years)
        except ValueError:
            pass
    return term_of(dt.date(on.year - years + 1, 1, 1), years)


def load_term(ctx: ServiceContext, on: dt.date | None = None) -> Term:
    with ctx.db.read() as session:
        return term_in(session, on or dt.date.today())


def save_term(ctx: ServiceContext, start: dt.date | None, years: int) -> Term:
    """Set the 全覆盖 term; start None means "the calendar years ending with the current one"."""
    ctx.require_admin("设置全覆盖周期")
    term = term_of(start or dt.date(dt.date.today().year - years + 1, 1, 1), years)
    with ctx.write() as session:
        session.merge(Setting(key=TERM_YEARS_KEY, value=str(years)))
        if start is None:
            existing = session.get(Setting, TERM_START_KEY)
            if existing is not None:
                session.delete(existing)
        else:
            session.merge(Setting(key=TERM_START_KEY, value=start.isoformat()))
    return term


def demo_date(ctx: ServiceContext) -> dt.date | None:
    """The fixed "today" of a demo database (its data hangs off that date); None for real data."""
    with ctx.db.read() as session:
        raw = _get(session, "demo.base_date")
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
