from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kyodo.core import replica
from kyodo.core.access import staff_member_required
from kyodo.core.dates import fiscal_year, fiscal_year_label
from kyodo.core.forms import parse_id
from kyodo.core.inputs import DATE_MAX
from kyodo.core.models import Location
from kyodo.core.sections import staff_sections
from kyodo.reports import dashboard as dashboard_data
from kyodo.reports import exports, stats, tables


def _location(request):
    """?location=<id> for one location; absent or "all" for every location."""
    value = request.GET.get("location", "")
    if value in ("", "all"):
        return None
    return get_object_or_404(Location, pk=parse_id(value) or 0)


def _fiscal_year(request):
    value = request.GET.get("year", "")
    if (
        value.isdigit() and 2019 <= int(value) <= DATE_MAX.year
    ):  # 令和 fiscal years, up to the date range's end
        return int(value)
    if value:
        raise Http404
    return fiscal_year(timezone.localdate())


@staff_member_required
def dashboard(request):
    location = _location(request)
    context = {
        "dashboard": dashboard_data.build(request, location),
        "location": location,
        "locations": Location.objects.all(),
        "sections": staff_sections(request),
    }
    return render(request, "reports/dashboard.html", context)


def _report_context(request):
    year = _fiscal_year(request)
    location = _location(request)
    with replica.reading():  # the year's figures may come from a read replica (DATABASE_REPLICA_URL)
        report = stats.year_report(year, location)
    return {
        "year": year,
        "year_label": fiscal_year_label(year, "ja"),
        "year_label_en": fiscal_year_label(year, "en"),
        "location": location,
        "locations": Location.objects.all(),
        "report": report,
        "tables": tables.build(report),
        "years": list(range(fiscal_year(timezone.localdate()), fiscal_year(timezone.localdate()) - 6, -1)),
        "query": request.GET.urlencode(),
    }


@staff_member_required
def statistics(request):
    return render(request, "reports/statistics.html", _report_context(request))


@staff_member_required
def annual(request):
    return render(request, "reports/annual.html", _report_context(request))


def _filename(context, suffix):
    where = f"location{context['location'].pk}" if context["location"] else "all"
    return f"kyodo-FY{context['year']}-{where}-{suffix}"


@staff_member_required
def table_csv(request, key):
    context = _report_context(request)
    table = next((t for t in context["tables"] if t.key == key), None)
    if table is None:
        raise Http404
    response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(context, key)}.csv"'
    return response


@staff_member_required
def workbook(request):
    context = _report_context(request)
    title = f"{context['year_label']} / {context['year_label_en']}"
    response = HttpResponse(
        exports.to_xlsx(context["tables"], title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(context, "statistics")}.xlsx"'
    return response
