import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yijianshi.core.calendar import CALENDAR_DAYS, WORKING_DAYS, WorkCalendar, current_calendar
from yijianshi.core.models import CalendarDay, CalendarYear

D = datetime.date
calendar = WorkCalendar()
dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 12, 31))
overrides = st.dictionaries(dates, st.booleans(), max_size=20)


def test_statutory_holidays_and_swapped_working_days_of_2026():
    assert not calendar.is_workday(D(2026, 10, 1))  # National Day, a Thursday
    assert not calendar.is_workday(D(2026, 10, 7))  # a Wednesday off, swapped with Saturday 10 October
    assert calendar.is_workday(D(2026, 10, 10))  # that Saturday is worked
    assert calendar.is_workday(D(2026, 9, 20))  # Sunday worked before National Day
    assert not calendar.is_workday(D(2026, 11, 22))  # an ordinary Sunday
    assert calendar.is_workday(D(2026, 11, 23))


def test_working_days_skip_the_national_day_week():
    # Five working days from Wednesday 30 September: 8, 9 (Friday), 10 (worked Saturday), 12, 13 October.
    assert calendar.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5


def test_a_calendar_day_limit_ending_on_a_holiday_ends_on_the_next_working_day():
    assert calendar.deadline(D(2026, 9, 26), 5, CALENDAR_DAYS) == D(2026, 10, 8)
    assert calendar.deadline(D(2026, 11, 2), 3, CALENDAR_DAYS) == D(2026, 11, 5)
    assert calendar.deadline(D(2026, 11, 20), 0, WORKING_DAYS) == D(2026, 11, 20)


def test_an_override_wins_over_the_package():
    corrected = WorkCalendar({D(2026, 11, 23): False, D(2026, 11, 22): True})
    assert not corrected.is_workday(D(2026, 11, 23))
    assert corrected.is_workday(D(2026, 11, 22))


def test_years_without_a_published_schedule_are_known():
    assert calendar.is_published(2026)
    assert not calendar.is_published(2027)
    assert WorkCalendar(confirmed_years=[2027]).is_published(2027)


@given(overrides, dates, st.integers(0, 40))
def test_adding_working_days_lands_on_a_working_day_that_far_away(corrections, start, count):
    cal = WorkCalendar(corrections)
    end = cal.add_working_days(start, count)
    assert cal.working_days_between(start, end) == count
    if count:
        assert cal.is_workday(end)
        assert cal.working_days_between(start, end - datetime.timedelta(days=1)) == count - 1


@given(overrides, dates, st.integers(0, 40))
def test_subtracting_is_the_latest_day_that_far_before(corrections, end, count):
    cal = WorkCalendar(corrections)
    start = cal.subtract_working_days(end, count)
    assert cal.working_days_between(start, end) == count
    assert cal.working_days_between(start + datetime.timedelta(days=1), end) < count or start == end


@given(overrides, dates, dates, dates)
def test_working_days_add_up_over_consecutive_spans(corrections, a, b, c):
    a, b, c = sorted((a, b, c))
    cal = WorkCalendar(corrections)
    assert cal.working_days_between(a, c) == cal.working_days_between(a, b) + cal.working_days_between(b, c)


@given(dates, st.integers(0, 60), st.sampled_from([WORKING_DAYS, CALENDAR_DAYS]), st.floats(0, 1))
def test_the_warning_starts_before_the_deadline_and_not_before_the_start(start, value, unit, ratio):
    due = calendar.deadline(start, value, unit)
    warning = calendar.warning_start(due, value, unit, ratio)
    assert warning <= due
    assert warning >= start or value == 0
    assert calendar.span(warning, due, unit) <= value * ratio + (unit == CALENDAR_DAYS)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 1, 1), -1)


@pytest.mark.django_db
def test_the_current_calendar_sees_an_administrators_correction_at_once():
    assert current_calendar().is_workday(D(2026, 11, 23))
    assert not current_calendar().is_published(2027)
    CalendarDay.objects.create(date=D(2026, 11, 23), is_workday=False, name="临时休假")
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    assert not current_calendar().is_workday(D(2026, 11, 23))
    assert current_calendar().is_published(2027)
