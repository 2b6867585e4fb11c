"""A year report as named tables: what the page, the charts, CSV, Excel and the printed report all show."""

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kyodo.community.models import Event
from kyodo.consultations.models import Consultation
from kyodo.reports import charts


@dataclass(frozen=True)
class Percent:
    """A share in a table (0.123): shown as 12.3% on the page and in the CSV, and stored in the Excel
    workbook as the number 0.123 with a percent format, so a spreadsheet can sum and chart it."""

    ratio: float

    def __str__(self) -> str:
        return f"{self.ratio * 100:.1f}%"


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list
    chart: str = ""
    notes: list = field(default_factory=list)

    @property
    def labelled_rows(self) -> list[list[tuple[str, object]]]:
        """Each row's cells with their column's header: on a phone the table reflows into cards and each
        value is labelled by its header (data-label)."""
        return [[(str(h), cell) for h, cell in zip(self.headers, row, strict=False)] for row in self.rows]


def month_label(period):
    if get_language() == "en":
        return period.start.strftime("%b %Y")
    return f"{period.start.year}年{period.start.month}月"


def short_month(period):
    return period.start.strftime("%b") if get_language() == "en" else f"{period.start.month}月"


OUTCOME = Consultation.Status
OUTCOME_LABELS = {
    OUTCOME.HELD: gettext_lazy("Held"),
    OUTCOME.NO_SHOW: gettext_lazy("No-show"),
    OUTCOME.BOOKED: gettext_lazy("Booked (not yet marked)"),
}


def build(report):
    monthly_rows = [[month_label(p), loans, unit_days] for p, loans, unit_days in report.months]
    monthly_rows.append([_("Total"), report.total_loans, report.total_unit_days])
    tables = [
        Table(
            "loans",
            _("Loans by month"),
            [_("Month"), _("Number of loans"), _("Unit-days lent")],
            monthly_rows,
            charts.column_bars([(short_month(p), loans) for p, loans, _u in report.months], _("Loans by month")),
        ),
        Table(
            "utilisation",
            _("Utilisation by equipment type"),
            [_("Equipment type"), _("Units in service"), _("Unit-days lent"), _("Unit-days available"), _("Utilisation")],
            [[t.name, t.units, t.unit_days_lent, t.unit_days_available, Percent(t.utilisation)] for t in report.types],
            charts.horizontal_bars([(t.name, t.utilisation) for t in report.types], _("Utilisation by equipment type"), percent=True),
            [_("Unit-days available = units in service × open days of the year.")],
        ),
        Table(
            "declined",
            _("Requests declined, by reason"),
            [_("Reason"), _("Number of requests")],
            [[reason, n] for reason, n in report.declined],
        ),
        Table(
            "groups",
            _("Groups served and registered"),
            [_("Figure"), _("Number of groups")],
            [[_("Groups that borrowed equipment"), report.groups_served], [_("New groups registered"), report.new_groups]],
        ),
        Table(
            "topics",
            _("Consultations by topic"),
            [_("Topic"), _("Number of consultations")],
            [[name, n] for name, n in report.topics],
            charts.horizontal_bars(report.topics, _("Consultations by topic")),
        ),
        Table("modes", _("Consultations by mode"), [_("Mode"), _("Number of consultations")], [[m, n] for m, n in report.modes]),
        Table(
            "outcomes",
            _("Consultations held and no-shows"),
            [_("Outcome"), _("Number of consultations")],
            [[str(label), report.outcomes.get(k, 0)] for k, label in OUTCOME_LABELS.items()],
        ),
        Table(
            "events",
            _("Events published, by status"),
            [_("Status"), _("Number of events")],
            [[str(label), report.events.get(value, 0)] for value, label in Event.Status.choices],
        ),
    ]  # fmt: skip
    if report.rooms:
        tables += room_tables(report.rooms)
    return tables


def room_tables(years):
    """稼働率 per room and 区分, and the year's bookings, people and fees (collected, waived), by location."""
    several = len(years) > 1
    occupancy_rows, totals, chart_rows = [], [], []
    for location, year in years:
        place = location.localized_name()
        for room in year.rooms:
            name = room.room.localized_name()
            for period, (booked, bookable) in room.by_period.items():
                share = booked / bookable if bookable else 0.0
                occupancy_rows.append([place, name, period, booked, bookable, Percent(share)])
            occupancy_rows.append(
                [place, name, _("All periods"), room.booked, room.bookable, Percent(room.occupancy)]
            )
            chart_rows.append((f"{place} {name}" if several else name, room.occupancy))
        totals.append([place, year.bookings, year.people, year.collected, year.waived])
    if several:
        totals.append([_("Total"), *(sum(row[i] for row in totals) for i in range(1, 5))])
    return [
        Table(
            "rooms",
            _("Room occupancy by period"),
            [_("Location"), _("Room"), _("Period"), _("Periods booked"), _("Periods bookable"), _("Occupancy")],
            occupancy_rows,
            charts.horizontal_bars(chart_rows, _("Room occupancy by period"), percent=True),
            [_("Periods bookable = open days × periods, less blocks. Booked: permitted, or held and not lapsed or cancelled.")],
        ),
        Table(
            "room_figures",
            _("Room bookings, people and fees"),
            [_("Location"), _("Bookings"), _("People (attendance)"), _("Fees collected (yen)"), _("Fees waived (yen)")],
            totals,
            notes=[_("Fees collected are payments less refunds recorded in the year; fees waived are the fee reductions (減免) of the year's bookings.")],
        ),
    ]  # fmt: skip
