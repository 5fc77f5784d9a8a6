"""Case numbers: region (6 digits) - date - sequence of the day, e.g. 410100-20261122-000017.

The counter row of a region and day is incremented with one upsert, so concurrent submissions queue on that row only
for the rest of their transaction, and a rolled-back submission gives its number back.
"""

import datetime

from django.db import connection

from yijianshi.cases.models import CaseSequence

TABLE = CaseSequence._meta.db_table
# Table names come from the model; values are parameters.
UPSERT = (
    f"INSERT INTO {TABLE} (prefix, last) VALUES (%s, 1) "  # noqa: S608
    f"ON CONFLICT (prefix) DO UPDATE SET last = {TABLE}.last + 1 RETURNING last"
)


def case_number_next(*, region_code: str, day: datetime.date) -> str:
    prefix = f"{region_code[:6]}-{day:%Y%m%d}"
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [prefix])
        (sequence,) = cursor.fetchone()
    return f"{prefix}-{sequence:06d}"
