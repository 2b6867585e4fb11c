"""Whole-database invariants (`manage.py check_integrity`), cheap enough to run after every drill.

Each check returns a list of problems (strings, each naming the rows concerned); an empty list is a pass.
Checks for apps whose models are not on this branch yet are simply absent.
"""

from django.apps import apps
from django.db import connection, models

LIMIT = 20  # problems listed per check; the count is always complete


def _q(name):
    return connection.ops.quote_name(name)


def orphan_rows():
    """Rows whose foreign key points at no row (possible if constraints were off or deferred badly)."""
    problems = []
    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in tables:
            continue
        for f in meta.concrete_fields:
            if not isinstance(f, models.ForeignKey) or not f.db_constraint:
                continue
            target = f.related_model._meta
            sql = (
                f"SELECT COUNT(*) FROM {_q(meta.db_table)} t LEFT JOIN {_q(target.db_table)} r "
                f"ON t.{_q(f.column)} = r.{_q(f.target_field.column)} "
                f"WHERE t.{_q(f.column)} IS NOT NULL AND r.{_q(f.target_field.column)} IS NULL"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql)
                (count,) = cursor.fetchone()
            if count:
                problems.append(
                    f"{meta.db_table}.{f.column}: {count} row(s) point at no {target.db_table} row"
                )
    return problems


CHECKS = [("orphan rows", orphan_rows)]


def run_all():
    """[(check name, [problems])] for every check."""
    return [(name, check()) for name, check in CHECKS]
