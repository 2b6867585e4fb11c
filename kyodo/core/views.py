import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kyodo.core import calendar, confirm, mail, tokens
from kyodo.core.access import staff_member_required
from kyodo.core.checks import static_manifest_problem
from kyodo.core.dates import format_datetime
from kyodo.core.forms import ProfileForm, TokenForm
from kyodo.core.inputs import in_date_range
from kyodo.core.models import Location, OutboundEmail, Weekday
from kyodo.core.sections import home_sections, profile_sections


def home(request):
    center = calendar.default_location()
    context = {
        "sections": home_sections(request),
        "center_today": calendar.today_at(center) if center is not None else None,
    }
    return render(request, "core/home.html", context)


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the database does not answer: report it, never crash
        connection.close()
        return JsonResponse({"status": "unavailable"}, status=503)
    if problem := static_manifest_problem():  # every page would be a 500: this server is not healthy
        return JsonResponse({"status": "unavailable", "reason": problem}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        with translation.override(request.user.preferred_language):
            return redirect(_localized_profile_url(request.user.preferred_language))
    context = {
        "form": form,
        "has_tokens": request.user.api_tokens.exists(),
        "sections": profile_sections(request),
    }
    return render(request, "core/profile.html", context, status=400 if form.errors else 200)


@login_required
def developer(request):
    """API tokens, on a page of their own: /me/ only links to it ("for developers"), so a member who
    never asked for one does not meet a form about bearer tokens."""
    context = {
        "api_tokens": request.user.api_tokens.all(),
        "token_form": TokenForm(auto_id="token_%s"),
        "new_token": request.session.pop("new_token", None),
    }
    return render(request, "core/developer.html", context)


@login_required
@require_safe
def email_remove(request, address_id):
    """The confirmation before removing one of one's own e-mail addresses; its button posts to allauth's
    own e-mail page (action_remove), which removes it and tells the person. Someone else's: not found."""
    address = get_object_or_404(EmailAddress, pk=address_id, user=request.user)
    if address.primary:
        messages.error(
            request, _("The primary address cannot be removed. Make another address primary first.")
        )
        return redirect("account_email")
    return confirm.page(request, confirm.Confirmation(
        title=_("Remove this e-mail address?"),
        consequence=_(
            "Mail from the center no longer goes to it, and you can no longer sign in with it. To use it "
            "again, add it and confirm it again."
        ),
        button=_("Remove the address"),
        back_url=reverse("account_email"),
        facts=[(_("E-mail address"), address.email)],
        hidden={"email": address.email, "action_remove": "1"},
        action=reverse("account_email"),
    ))  # fmt: skip


def _localized_profile_url(language):
    with translation.override(language):
        return reverse("core:profile")


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the token a name."))
        return redirect("core:developer")
    _row, raw = tokens.issue_token(request.user, form.cleaned_data["name"])
    request.session["new_token"] = raw
    return redirect("core:developer")


@login_required
def token_revoke(request, token_id):
    """GET: which token and what revoking it means; POST: revoke it. Someone else's token is not found."""
    if request.method != "POST":
        token = tokens.token_of(request.user, token_id)
        if token is None:
            raise Http404
        return confirm.page(request, confirm.Confirmation(
            title=_("Revoke this API token?"),
            consequence=_(
                "Programs that use it are refused from now on. This cannot be undone: create a new token "
                "and put it in those programs instead."
            ),
            button=_("Revoke the token"),
            back_url=reverse("core:developer"),
            facts=[(_("Name"), token.name), (_("Token"), f"{token.prefix}…"),
                   (_("Last used"), format_datetime(token.last_used_at) or "—")],
        ))  # fmt: skip
    if not tokens.revoke_token(request.user, token_id):
        raise Http404
    messages.success(request, _("The token was revoked."))
    return redirect("core:developer")


def _weekday_names(weekdays: list[int]) -> str:
    names = [str(Weekday(weekday).label) for weekday in weekdays]
    return (", " if translation.get_language() == "en" else "、").join(names)


def locations(request):
    """Each location: address, access, parking, its map, the week's hours with the closed weekdays, and
    whether it is open today."""
    items = []
    for location in Location.objects.prefetch_related("opening_hours"):
        hours = {h.weekday: h for h in location.opening_hours.all()}
        week = [{"weekday": weekday, "hours": hours.get(weekday)} for weekday in range(7)]
        items.append(
            {
                "location": location,
                "week": week,
                "closed_weekdays": _weekday_names(calendar.closed_weekdays(location)),
                "today": calendar.today_at(location),
            }
        )
    return render(request, "core/locations.html", {"locations": items})


def _parse_month(value):
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def location_calendar(request, location_id):
    location = get_object_or_404(Location, pk=location_id)
    first = _parse_month(request.GET.get("month"))
    if not in_date_range(first):
        raise Http404
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    context = {
        "location": location,
        "month": first,
        "weeks": calendar.month_weeks(location, first.year, first.month),
        "prev_month": prev_month,
        "next_month": next_month,
        "closures": location.closures.filter(end_date__gte=first, start_date__lt=next_month),
    }
    return render(request, "core/location_calendar.html", context)


@staff_member_required
def outbox(request):
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
        count = mail.retry(ids)
        messages.success(request, _("%(count)d message(s) will be sent again.") % {"count": count})
        return redirect("core:outbox")
    undelivered = OutboundEmail.objects.failing()
    return render(request, "core/outbox.html", {"undelivered": undelivered[:200]})
