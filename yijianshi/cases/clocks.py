"""Deadlines of tasks and cases in working or calendar days, and their colour (绿/黄/红).

A task's limit runs from the day it becomes active; time in special procedures (特别程序) is added back, so the due
date moves by exactly the working days the suspension took. A case is due no earlier than its promised limit from
acceptance and no earlier than its latest task.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from yijianshi.core.calendar import WORKING_DAYS, WorkCalendar

logger = logging.getLogger(__name__)
GREEN, YELLOW, RED = "green", "yellow", "red"
COLOURS = (GREEN, YELLOW, RED)


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def schedule(calendar: WorkCalendar, *, start: datetime.date, value: int, unit: str, paused: int = 0):
    """(due date, warning date) of a `value`-day limit from `start`, with `paused` days not counted."""
    due = calendar.deadline(start, value + paused, unit)
    if unit == WORKING_DAYS and not calendar.is_published(due.year):
        logger.warning("deadline in a year without a published holiday schedule", extra={"year": due.year})
    return due, calendar.warning_start(due, value, unit, settings.YJS_DEADLINE_WARNING_RATIO)


def unconfirmed(calendar: WorkCalendar, due: datetime.date | None, unit: str) -> bool:
    """A working-day deadline in a year whose holidays are not yet published: it may move when they are."""
    return due is not None and unit == WORKING_DAYS and not calendar.is_published(due.year)


def colour(due: datetime.date | None, warning: datetime.date | None, today: datetime.date) -> str | None:
    if due is None:
        return None
    if today > due:
        return RED
    if warning is not None and today >= warning:
        return YELLOW
    return GREEN


def task_schedule(task, calendar: WorkCalendar) -> None:
    """Set the task's due and warning dates from its start, limit and suspended days."""
    task.due_date, task.warning_date = schedule(
        calendar, start=task.started_on, value=task.limit_value, unit=task.limit_unit, paused=task.suspended_days
    )


def case_schedule(case, tasks, calendar: WorkCalendar) -> None:
    """Set the case's due and warning dates: the promised limit from acceptance, or the latest task's due date."""
    due, warning = schedule(calendar, start=local_date(case.accepted_at), value=case.limit_value, unit=case.limit_unit)
    latest = max((t.due_date for t in tasks if t.due_date is not None), default=due)
    if latest > due:
        due = latest
        warning = calendar.warning_start(due, case.limit_value, case.limit_unit, settings.YJS_DEADLINE_WARNING_RATIO)
    case.due_date, case.warning_date = due, warning
