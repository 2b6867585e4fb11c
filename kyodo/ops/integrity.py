"""Whole-database invariants (`manage.py check_integrity`), cheap enough to run after every drill.

Each check returns a list of problems (strings, each naming the rows concerned); an empty list is a pass.
Checks for apps whose models are not on this branch yet are simply absent.
"""

import datetime as dt

from django.apps import apps
from django.db import connection, models
from django.db.models import Count, F, Q

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
            if not isinstance(f, models.ForeignKey) or not f.db_constraint:  # type: ignore[attr-defined]  # missing from django-stubs 5.2.9
                continue
            target = f.target_field.model._meta
            sql = (
                f"SELECT COUNT(*) FROM {_q(meta.db_table)} t LEFT JOIN {_q(target.db_table)} r "  # noqa: S608  only quoted table and column names from the models are interpolated
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


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def reservations_without_items():
    Reservation = _model("lending.Reservation")
    ids = list(Reservation.objects.filter(items__isnull=True).values_list("pk", flat=True)[: LIMIT + 1])
    return [f"reservation #{pk} has no items" for pk in ids]


def _overlaps(table, key, start, end, where="", strict=False):
    """Rows whose [start, end] overlaps an earlier row of the same key (one pass with a window)."""
    cmp = "<" if strict else "<="
    sql = (
        f"SELECT id, {_q(key)}, {_q(start)}, prev_end FROM ("  # noqa: S608  only quoted table and column names from the models are interpolated
        f"  SELECT id, {_q(key)}, {_q(start)}, MAX({_q(end)}) OVER (PARTITION BY {_q(key)} "
        f"    ORDER BY {_q(start)}, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end "
        f"  FROM {_q(table)} {where}) w "
        f"WHERE prev_end IS NOT NULL AND {_q(start)} {cmp} prev_end"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def units_lent_twice():
    """No unit handed out on two loans whose periods [start, end] overlap."""
    ReservationUnit = _model("lending.ReservationUnit")
    rows = _overlaps(ReservationUnit._meta.db_table, "unit_id", "start", "end")
    return [
        f"unit {unit}: loan row {pk} from {start} overlaps a loan until {prev}"
        for pk, unit, start, prev in rows
    ]


def item_copies_out_of_date():
    """Each item's copy of its reservation's status and dates (what availability reads) matches it."""
    ReservationItem = _model("lending.ReservationItem")
    stale = ReservationItem.objects.exclude(
        reservation_status=F("reservation__status"),
        pickup_date=F("reservation__pickup_date"),
        return_date=F("reservation__return_date"),
        hold_until=F("reservation__hold_until"),
    ).values_list("pk", "reservation_id")[: LIMIT + 1]
    return [f"reserved item #{pk} disagrees with reservation #{rid}" for pk, rid in stale]


def types_over_held():
    """On no day do a type's holding reservations ask for more than its units in service."""
    EquipmentType, ReservationItem = _model("lending.EquipmentType"), _model("lending.ReservationItem")
    Reservation = _model("lending.Reservation")
    capacity = dict(
        EquipmentType.objects.annotate(
            n=Count("units", filter=Q(units__status=_model("lending.Unit").Status.IN_SERVICE))
        ).values_list("pk", "n")
    )
    items = (
        ReservationItem.objects.filter(reservation__status__in=Reservation.HOLDING)
        .order_by("equipment_type_id")
        .values_list("equipment_type_id", "reservation__pickup_date", "reservation__hold_until", "quantity")
    )
    problems: list[str] = []
    current = None
    deltas: list[tuple[dt.date, int]] = []

    def sweep(type_id, deltas):
        held, worst = 0, None
        for day, delta in sorted(deltas):
            held += delta
            if held > capacity.get(type_id, 0) and worst is None:
                worst = (day, held)
        if worst:
            problems.append(
                f"equipment type {type_id}: {worst[1]} held on {worst[0]}, {capacity.get(type_id, 0)} in service"
            )

    for type_id, pickup, hold_until, quantity in items.iterator(chunk_size=20_000):
        if type_id != current:
            if current is not None:
                sweep(current, deltas)
            current, deltas = type_id, []
        deltas.append((pickup, quantity))
        deltas.append((hold_until + dt.timedelta(days=1), -quantity))
    if current is not None:
        sweep(current, deltas)
    return problems


def coordinators_double_booked():
    """No coordinator in two holding consultations whose [start, blocked_until) overlap."""
    Consultation = _model("consultations.Consultation")
    holding = ", ".join(f"'{s}'" for s in Consultation.HOLDING)
    rows = _overlaps(
        Consultation._meta.db_table, "coordinator_id", "start", "blocked_until",
        where=f"WHERE status IN ({holding})", strict=True,
    )  # fmt: skip
    return [
        f"coordinator {c}: consultation {pk} at {start} overlaps one until {prev}"
        for pk, c, start, prev in rows
    ]


CHECKS = [("orphan rows", orphan_rows)]
if _model("lending.ReservationUnit"):
    CHECKS += [
        ("reservations without items", reservations_without_items),
        ("items out of step with their reservation", item_copies_out_of_date),
        ("units lent twice", units_lent_twice),
        ("types held beyond units in service", types_over_held),
    ]
if _model("consultations.Consultation"):
    CHECKS.append(("coordinators booked twice", coordinators_double_booked))


def run_all():
    """[(check name, [problems])] for every check."""
    return [(name, check()) for name, check in CHECKS]
