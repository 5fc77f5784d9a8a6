"""Fixed statements for the hottest paths, without building a query each time.

The query builder costs 0.3–1 ms of CPU a statement (filters resolved, SQL compiled, values quoted); the statement
itself, a few tenths of that. A decision runs the same few statements on every case: reading and locking the case
and its tasks, writing back the columns it changed. Here their SQL is made once per model and database connection;
values still go through their fields (`get_db_prep_save`) and rows through the fields' converters, so each database
gets and gives back what the ORM would. No signals are sent: use these only for models that have no receivers.
"""

from collections.abc import Sequence

from django.db import DatabaseError, connection, connections, models
from django.db.models import signals

_Reader = tuple[str, list[tuple[type[models.Model], list[str], list[list]]]]


def _cache(name: str) -> dict:
    # Per connection (the thread's own wrapper, not the `connection` proxy every thread shares): converters are
    # bound to the backend's operations.
    return connections[connection.alias].__dict__.setdefault(f"_yjs_rows_{name}", {})


def _reader(model: type[models.Model], joined: tuple[str, ...]) -> _Reader:
    readers = _cache("readers")
    reader = readers.get((model, joined))
    if reader is None:
        quote, meta = connection.ops.quote_name, model._meta
        table = quote(meta.db_table)
        parts, sources, joins = [], [], []
        for source, alias in [(model, table)] + [
            (meta.get_field(name).related_model, quote(meta.get_field(name).related_model._meta.db_table))
            for name in joined
        ]:
            fields = list(source._meta.concrete_fields)
            parts += [f"{alias}.{quote(f.column)}" for f in fields]
            converters = []
            for f in fields:
                col = f.get_col(source._meta.db_table)
                converters.append(
                    [(c, col) for c in connection.ops.get_db_converters(col) + f.get_db_converters(connection)]
                )
            sources.append((source, [f.attname for f in fields], converters))
        for name in joined:
            field = meta.get_field(name)
            other = quote(field.related_model._meta.db_table)
            joins.append(
                f" INNER JOIN {other} ON {other}.{quote(field.related_model._meta.pk.column)} = "
                f"{table}.{quote(field.column)}"
            )
        # Names come from the models' metadata, quoted by the backend; values travel as parameters.
        select = f"SELECT {', '.join(parts)} FROM {table}{''.join(joins)}"  # noqa: S608
        reader = readers[(model, joined)] = (select, sources)
    return reader


def select_models(
    model: type[models.Model],
    where: str,
    params: Sequence,
    *,
    joined: Sequence[str] = (),
    order_by: str = "",
    lock: bool = False,
) -> list[models.Model]:
    """Instances of `model` for `SELECT … WHERE <where> [ORDER BY <order_by>] [FOR UPDATE OF <its table>]`, each
    holding the rows of its `joined` foreign keys (an inner join, as `select_related` of required keys). `where`
    and `order_by` name columns as `table.column`; `params` are values as the database takes them (`prep`)."""
    select, sources = _reader(model, tuple(joined))
    sql = f"{select} WHERE {where}"
    if order_by:
        sql += f" ORDER BY {order_by}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
        if joined and connection.features.has_select_for_update_of:
            sql += f" OF {connection.ops.quote_name(model._meta.db_table)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        rows = cursor.fetchall()
    found = []
    for row in rows:
        start, instances = 0, []
        for source, names, converters in sources:
            values = list(row[start : start + len(names)])
            start += len(names)
            for index, convert in enumerate(converters):
                for converter, col in convert:
                    values[index] = converter(values[index], col, connection)
            instances.append(source.from_db(connection.alias, names, values))
        main = instances[0]
        for name, related in zip(joined, instances[1:], strict=True):
            model._meta.get_field(name).set_cached_value(main, related)
        found.append(main)
    return found


def prep(model: type[models.Model], name: str, value):
    """A value of field `name` as the database takes it in a statement's parameters."""
    return model._meta.get_field(name).get_db_prep_value(value, connection)


def column(model: type[models.Model], name: str = "") -> str:
    """`table.column` of a field (the primary key by default), quoted for the database."""
    quote, meta = connection.ops.quote_name, model._meta
    field = meta.get_field(name) if name else meta.pk
    return f"{quote(meta.db_table)}.{quote(field.column)}"


def update_columns(instance: models.Model, names: Sequence[str]) -> bool:
    """Write these fields of a saved instance (`save(update_fields=…)` without the query builder and signals);
    DatabaseError when its row is not there, as `save` raises. False, writing nothing, when a value is an
    expression (`F("n") + 1`), which only the query builder writes."""
    statements = _cache("updates")
    model = type(instance)
    key = (model, tuple(names))
    found = statements.get(key)
    if found is None:
        quote, meta = connection.ops.quote_name, model._meta
        fields = [meta.get_field(name) for name in names]
        sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        found = statements[key] = (
            f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s",  # noqa: S608
            fields,
        )
    sql, fields = found
    given = [f.pre_save(instance, add=False) for f in fields]  # auto_now fields take the moment, as save does
    if any(hasattr(value, "resolve_expression") for value in given):
        return False
    values = [f.get_db_prep_save(value, connection) for f, value in zip(fields, given, strict=True)]
    values.append(model._meta.pk.get_db_prep_value(instance.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if cursor.rowcount == 0:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    return True


def insert_models(objs: Sequence[models.Model]) -> None:
    """INSERT new instances of one model in one statement (`bulk_create` without the query builder). Every
    concrete column is written, so an auto-incremented key must be left out by the model (ids made in Python) or
    the instances are not read back: their `pk` stays unset."""
    if not objs:
        return
    model = type(objs[0])
    statements = _cache("inserts")
    key = (model, len(objs))
    found = statements.get(key)
    if found is None:
        quote, meta = connection.ops.quote_name, model._meta
        fields = [f for f in meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
        row = f"({', '.join(['%s'] * len(fields))})"
        found = statements[key] = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([row] * len(objs))}",
            fields,
        )
    sql, fields = found
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


class QuickUpdates(models.Model):
    """A model whose `save(update_fields=…)` writes through `update_columns` while nothing listens to its save
    signals (with a receiver connected, it saves as any model does)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        model = type(self)
        if (
            fields is not None
            and not args
            and len(kwargs) == 1
            and not self._state.adding
            and not signals.pre_save.has_listeners(model)
            and not signals.post_save.has_listeners(model)
            and (not fields or update_columns(self, list(fields)))
        ):
            return
        super().save(*args, **kwargs)
