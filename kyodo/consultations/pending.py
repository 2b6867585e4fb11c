"""Pages of a 仮受付: what the booker sees after booking, and the confirmation link that only the mail carries.

The booker's page (`received`) shows the 受付番号, the time the booking is held until and what to do next —
never the manage link or the .ics, which come with the confirmation mail. The session remembers which
bookings this browser made, so the page needs no token in its address. The confirmation link (`confirm`)
shows a button on GET and confirms on POST, so a mail scanner that opens links changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kyodo.consultations import services
from kyodo.consultations.forms import ActionForm
from kyodo.consultations.models import Consultation
from kyodo.core.doors import submit

SESSION_KEY = "consultations_received"
REMEMBERED = 5  # the bookings of this browser whose 受付番号 its page may show


def remember_received(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """After a 仮受付 is made: remember it in the session and show its page."""
    known = [pk for pk in request.session.get(SESSION_KEY, []) if pk != consultation.pk]
    request.session[SESSION_KEY] = [consultation.pk, *known][:REMEMBERED]
    return redirect("consultations:received")


@require_safe
def received(request: HttpRequest) -> HttpResponse:
    """The booker's page of their latest 仮受付: 受付番号, held until, and "open the link in the mail"."""
    known = request.session.get(SESSION_KEY, [])
    rows = Consultation.objects.select_related("location", "topic").filter(pk__in=known, anonymised=False)
    consultation = rows.filter(pk=known[0]).first() if known else None
    if consultation is None:
        return redirect("consultations:start")
    return render(request, "consultations/received.html", {"c": consultation})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mail's confirmation link: GET shows the booking and a button; POST confirms it. An unknown or
    used token is 404; a hold that lapsed is 410 (gone: book again)."""
    consultation = services.confirmation_for(token)
    if consultation is None:
        return render(request, "consultations/confirm.html", {"c": None}, status=404)
    form = ActionForm(request.POST if request.method == "POST" else None)
    status = 200 if consultation.can_confirm() else 410
    if form.is_bound and status == 200:
        done, status = submit(form, lambda: services.confirm_email(token))
        if done is not None:
            messages.success(request, _("Thank you. Your consultation is booked. We sent you an e-mail."))
            return redirect("consultations:manage", done.manage_token)
    context = {"c": consultation, "form": form, "usable": consultation.can_confirm()}
    return render(request, "consultations/confirm.html", context, status=status)
