"""Gapless counters (case numbers, license sequences): one upsert on the counter's row.

Concurrent writers queue on that row only for the rest of their transaction, and a rolled-back transaction gives its
number back. A counter model has a `prefix` primary key and a `last` integer.
"""

from django.db import connection


def counter_next(model, prefix: str) -> int:
    table = model._meta.db_table
    # The table name comes from the model; the prefix is a parameter.
    upsert = (
        f"INSERT INTO {table} (prefix, last) VALUES (%s, 1) "  # noqa: S608
        f"ON CONFLICT (prefix) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [prefix])
        (sequence,) = cursor.fetchone()
    return sequence
