"""Two small SQL building blocks for the statistics, so every figure is one aggregate query.

`DaysBetween(a, b)` is b − a in whole days on SQLite and PostgreSQL alike. `count_at_or_before(expr, dates)`
is a CASE step function: how many of the sorted `dates` are ≤ expr. With the period's closed days, it turns
"calendar days in [a, b]" into "open days in [a, b]" inside the database."""

from django.db.models import Case, DateField, F, Func, IntegerField, Value, When


class DaysBetween(Func):
    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((%(expressions)s))", arg_joiner=")::date - (", **extra
        )


def days_between(start, end):
    """end − start in days (so a one-day range [d, d] gives 0)."""
    return DaysBetween(end, start)


def count_at_or_before(expression, dates):
    """How many of `dates` (sorted) are ≤ expression."""
    if not dates:
        return Value(0, output_field=IntegerField())
    whens = [When(**{f"{expression}__lt": day}, then=Value(i)) for i, day in enumerate(dates)]
    return Case(*whens, default=Value(len(dates)), output_field=IntegerField())


def count_before(expression, dates):
    """How many of `dates` (sorted) are < expression."""
    if not dates:
        return Value(0, output_field=IntegerField())
    whens = [When(**{f"{expression}__lte": day}, then=Value(i)) for i, day in enumerate(dates)]
    return Case(*whens, default=Value(len(dates)), output_field=IntegerField())


def date_value(day):
    return Value(day, output_field=DateField())


__all__ = ["DaysBetween", "days_between", "count_at_or_before", "count_before", "date_value", "F"]
