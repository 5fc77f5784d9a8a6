"""工作日历: China's working days, from the `holidays` package corrected by the CalendarDay table.

A time limit runs from the day after it starts (次日起算): the first of N working days is the next working day. A
limit in calendar days that ends on a rest day ends on the next working day instead, as Chinese procedure law
counts periods. Dates are local dates (Asia/Shanghai).
"""

import datetime
import functools
import threading
from collections.abc import Iterable, Mapping

import holidays
from holidays.countries.china import ChinaStaticHolidays

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
ONE_DAY = datetime.timedelta(days=1)
# A guard against runaway loops on absurd input: no limit the platform handles is anywhere near this long.
MAX_SPAN_DAYS = 20 * 366


@functools.lru_cache(maxsize=256)
def package_year(year: int) -> tuple[frozenset, frozenset]:
    """(rest days, working weekend days) of a year according to the `holidays` package."""
    china = holidays.China(years=year)
    rest = frozenset(day for day in china if day.year == year)
    swapped = frozenset(day for day in china.weekend_workdays if day.year == year)
    return rest, swapped


PACKAGE_PUBLISHED_YEARS = frozenset(ChinaStaticHolidays.special_public_holidays)


class WorkCalendar:
    """Working-day arithmetic over the package's schedule and an administrator's corrections."""

    def __init__(self, overrides: Mapping[datetime.date, bool] | None = None, confirmed_years: Iterable[int] = ()):
        self.overrides = dict(overrides or {})
        self.confirmed_years = frozenset(confirmed_years)

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        rest, swapped = package_year(day.year)
        if day in swapped:
            return True
        return day.weekday() < 5 and day not in rest

    def is_published(self, year: int) -> bool:
        """Whether the year's official holiday schedule is known (from the package or entered by an administrator)."""
        return year in PACKAGE_PUBLISHED_YEARS or year in self.confirmed_years

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """The `count`-th working day after `start`; `start` itself when count is 0."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        for _ in range(MAX_SPAN_DAYS):
            if count == 0:
                return day
            day += ONE_DAY
            if self.is_workday(day):
                count -= 1
        raise ValueError("limit too long")

    def subtract_working_days(self, end: datetime.date, count: int) -> datetime.date:
        """The latest day from which `end` is `count` working days away; `end` itself when count is 0."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = end
        remaining = count
        for _ in range(MAX_SPAN_DAYS):
            if remaining == 0:
                return day
            if self.is_workday(day):
                remaining -= 1
            day -= ONE_DAY
        raise ValueError("limit too long")

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d ≤ end (0 when end is not after start)."""
        if (end - start).days > MAX_SPAN_DAYS:
            raise ValueError("span too long")
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count

    def next_workday(self, day: datetime.date) -> datetime.date:
        """`day` if it is a working day, else the first working day after it."""
        return day if self.is_workday(day) else self.add_working_days(day, 1)

    def deadline(self, start: datetime.date, value: int, unit: str) -> datetime.date:
        """The last day of a limit of `value` working or calendar days running from `start`."""
        if unit == CALENDAR_DAYS:
            return self.next_workday(start + datetime.timedelta(days=value)) if value else start
        return self.add_working_days(start, value)

    def span(self, start: datetime.date, end: datetime.date, unit: str) -> int:
        """How many days of `unit` lie in (start, end]: what a suspension from `start` to `end` consumed."""
        if unit == CALENDAR_DAYS:
            return max((end - start).days, 0)
        return self.working_days_between(start, end)

    def warning_start(self, due: datetime.date, value: int, unit: str, ratio: float) -> datetime.date:
        """The first day on which at most `ratio` of a `value`-day limit ending on `due` is left (黄灯)."""
        left = int(value * ratio)
        if unit == CALENDAR_DAYS:
            return due - datetime.timedelta(days=left)
        return self.subtract_working_days(due, left)


_cache_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def current_calendar() -> WorkCalendar:
    """The calendar with the administrators' current corrections (one small query to see whether they changed)."""
    global _cached
    from django.db import connection

    from yijianshi.core.models import CalendarDay, CalendarYear

    days, years = CalendarDay._meta.db_table, CalendarYear._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {days}), (SELECT MAX(changed_at) FROM {days}), "  # noqa: S608 (table names)
            f"(SELECT COUNT(*) FROM {years}), (SELECT MAX(confirmed_at) FROM {years})"
        )
        fingerprint = tuple(cursor.fetchone())
    with _cache_lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1]
    calendar = WorkCalendar(
        dict(CalendarDay.objects.values_list("date", "is_workday")),
        CalendarYear.objects.values_list("year", flat=True),
    )
    with _cache_lock:
        _cached = (fingerprint, calendar)
    return calendar
