"""Pages of the community app: thin adapters that parse, call services and render."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyodo.community import feeds, newsletter, services
from kyodo.community.forms import EventFilterForm, EventForm, NewsletterForm, NoticeForm, ReturnForm
from kyodo.community.models import Event, NewsPost, SiteNotice
from kyodo.community.templatetags.community import event_when
from kyodo.core import confirm, once, paging, review
from kyodo.core.access import staff_member_required
from kyodo.core.doors import submit
from kyodo.groups.models import Group

# --- Events: public ---------------------------------------------------------------------------------


def events(request):
    form = EventFilterForm(request.GET)
    listing = Event.objects.select_related("group")
    if form.is_valid():
        if form.cleaned_data["month"]:
            listing = listing.in_month(form.cleaned_data["month"])
        if form.cleaned_data["category"]:
            listing = listing.filter(category=form.cleaned_data["category"])
    else:
        listing = listing.none()
    upcoming = services.UpcomingEvents(listing)
    # Pages of 20 (a phone screen scrolls through that comfortably), read without counting the list:
    # with thousands of upcoming events the page costs what it costs with a handful, in the same queries.
    page = paging.page_of(upcoming, 20, request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "events": page.object_list,
        "query": paging.query_without_page(request),
        "notice": services.notice(),
        "can_submit": services.can_submit(request.user),
    }
    return render(request, "community/events.html", context, status=200 if form.is_valid() else 400)


def events_archive(request):
    form = EventFilterForm(request.GET)
    listing = Event.objects.published().past().select_related("group").order_by("-start_date", "-id")
    if form.is_valid():
        if form.cleaned_data["month"]:
            listing = listing.in_month(form.cleaned_data["month"])
        if form.cleaned_data["category"]:
            listing = listing.filter(category=form.cleaned_data["category"])
    else:
        listing = listing.none()
    page = paging.page_of(listing, 50, request.GET.get("page"))
    context = {"form": form, "page": page, "events": page.object_list}
    return render(request, "community/events_archive.html", context, status=200 if form.is_valid() else 400)


def _event_page(
    request: HttpRequest, item: Event, return_form: ReturnForm, status: int = 200
) -> HttpResponse:
    context = {
        "event": item,
        "notice": services.notice(),
        "can_edit": services.can_edit(request.user, item),
        "return_form": return_form,
        "ics_url": reverse("community:event_ics", args=[item.pk]),
    }
    return render(request, "community/event.html", context, status=status)


def event(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Event.objects.visible_to(request.user).select_related("group"), pk=pk)
    return _event_page(request, item, ReturnForm())


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_ics(request, pk):
    item = get_object_or_404(Event.objects.published(), pk=pk)
    return _ics_response(feeds.events_ics([item], name=item.title), f"event-{item.pk}.ics")


def events_ics(request):
    items = Event.objects.published().select_related("group")
    return _ics_response(feeds.events_ics(items, name=_("Events")), "events.ics")


def events_csv(request):
    items = Event.objects.published().select_related("group")
    response = HttpResponse(feeds.events_csv(items), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="events.csv"'
    return response


# --- Events: members submit, staff moderate --------------------------------------------------------


def _save_event(
    request: HttpRequest, form: EventForm, event: Event | None = None
) -> tuple[Event | None, int]:
    """Run the service for the button pressed: (the event, 200), or (None, status) with errors on the form."""
    action = request.POST.get("action", "draft")
    group: Group | None = form.cleaned_data.get("group")
    sends, publishes = action == "submit", action == "publish"
    data = form.service_data()
    if "image" in request.FILES or form.cleaned_data.get("image") is False:
        data["image"] = form.cleaned_data.get("image") or ""
    if event is None:  # a new event is made once for the form's one-time key (a double click makes one)
        made, status = submit(
            form,
            lambda: once.run(
                request, request.POST.get(once.FIELD), "community.event",
                lambda: services.create_event(request.user, data, group, submit=sends, publish=publishes),
            ),
        )  # fmt: skip
        if made is not None and made.repeat:
            messages.info(request, once.ALREADY_RECEIVED)
        return (made.obj if made is not None else None), status
    event_id = event.pk
    return submit(
        form,
        lambda: services.update_event(request.user, event_id, data, group, submit=sends, publish=publishes),
    )


def _saved_message(request: HttpRequest, item: Event) -> None:
    if item.is_submitted:
        messages.success(request, _("The event was sent to staff for review."))
        messages.info(request, once.reference_message(item))
    elif item.is_published:
        messages.success(request, _("The event is published."))
    else:
        messages.success(request, _("The event was saved as a draft."))


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    if not services.can_submit(request.user):
        raise PermissionDenied
    groups = services.submittable_groups(request.user)
    initial = {"group": groups.first()} if not request.user.is_staff and groups.count() == 1 else {}
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        groups=groups,
        initial=initial,
        staff=request.user.is_staff,
    )
    status, shown = 200, None
    posted = review.stage(request)
    if request.method == "POST" and posted != review.EDIT:
        status = 400
        if form.is_valid() and request.POST.get("action") == "submit" and posted == review.REVIEW:
            status, shown = 200, review.of(form, files=("image",))  # 確認画面 before it goes to staff
        elif form.is_valid():
            item, status = _save_event(request, form)
            if item is not None:
                _saved_message(request, item)
                return redirect("community:event", item.pk)
    context = {"form": form, "event": None, "once_key": once.key_of(request), "review": shown}
    return render(request, "community/event_form.html", context, status=status)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    if not services.can_edit(request.user, item):
        raise PermissionDenied
    groups = services.submittable_groups(request.user)
    form = EventForm(
        request.POST or None, request.FILES or None, instance=item, groups=groups, staff=request.user.is_staff
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            saved, status = _save_event(request, form, event=Event.objects.get(pk=item.pk))
            if saved is not None:
                _saved_message(request, saved)
                return redirect("community:event", saved.pk)
    context = {"form": form, "event": item}
    return render(request, "community/event_form.html", context, status=status)


def _event_facts(item: Event) -> list[tuple[str, Any]]:
    return [
        (_("Event"), item.title),
        (_("Date"), event_when(item)),  # <time> elements: never broken across lines
        (_("Venue"), item.venue_name),
        (_("Organizer"), item.organizer or "—"),
        (_("State"), item.get_state_display()),
    ]


def _editable_event(request: HttpRequest, pk: int) -> Event:
    item = get_object_or_404(Event.objects.visible_to(request.user).select_related("group"), pk=pk)
    if not services.can_edit(request.user, item):
        raise PermissionDenied
    return item


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the event and what deleting it means; POST: delete, then back to the list it came from."""
    item = _editable_event(request, pk)
    if request.method != "POST":
        consequence = (
            _("It disappears from the site, the calendars and the open data at once. This cannot be undone.")
            if item.is_published
            else _("The draft and everything written in it are removed. This cannot be undone.")
        )
        return confirm.page(request, confirm.Confirmation(
            title=_("Delete this event?"),
            consequence=consequence,
            button=_("Delete the event"),
            back_url=reverse("community:event", args=[item.pk]),
            facts=_event_facts(item),
        ))  # fmt: skip
    title = item.title
    services.delete_event(request.user, item.pk)
    messages.success(request, _("The event “%(title)s” was deleted.") % {"title": title})
    return redirect("community:event_manage" if request.user.is_staff else "community:my_events")


@login_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what marking the event 中止 means; POST: mark it (it stays listed, as cancelled)."""
    item = _editable_event(request, pk)
    if item.is_cancelled:
        messages.error(request, _("This event is already cancelled."))
        return redirect("community:event", item.pk)
    if request.method != "POST":
        return confirm.page(request, confirm.Confirmation(
            title=_("Mark this event as cancelled?"),
            consequence=_(
                "It stays on the events list marked as cancelled, so people who planned to come see it; "
                "calendars that added it are updated. To hold it after all, edit it and change its status."
            ),
            button=_("Mark as cancelled"),
            back_url=reverse("community:event", args=[item.pk]),
            facts=_event_facts(item),
        ))  # fmt: skip
    form = forms.Form({})
    cancelled, _status = submit(form, lambda: services.cancel_event(request.user, item.pk))
    if cancelled is None:
        messages.error(request, " ".join(str(message) for message in form.non_field_errors()))
    else:
        messages.success(request, _("The event “%(title)s” is marked as cancelled.") % {"title": item.title})
    return redirect("community:event", item.pk)


@login_required
def my_events(request):
    listing = (
        Event.objects.filter(group__in=Group.objects.of_member(request.user))
        .select_related("group")
        .order_by("-start_date", "-id")
    )
    context = {"events": listing, "can_submit": services.can_submit(request.user)}
    return render(request, "community/my_events.html", context)


@staff_member_required
def event_manage(request):
    notice_row = SiteNotice.objects.filter(key="events").first()
    notice_form = NoticeForm(
        request.POST or None,
        initial={"text": notice_row.text, "text_en": notice_row.text_en} if notice_row else {},
    )
    if request.method == "POST" and notice_form.is_valid():
        services.update_notice(
            request.user, notice_form.cleaned_data["text"], notice_form.cleaned_data["text_en"]
        )
        messages.success(request, _("The notice was saved."))
        return redirect("community:event_manage")
    context = {
        "awaiting": Event.objects.submitted().select_related("group"),
        "unpublished": Event.objects.in_preparation().select_related("group"),
        "upcoming": Event.objects.published().upcoming().select_related("group"),
        "notice_form": notice_form,
    }
    return render(request, "community/event_manage.html", context, status=400 if notice_form.errors else 200)


@staff_member_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Event, pk=pk)
    refusal = forms.Form({})  # no fields: it only carries the service's refusal
    published, status = submit(refusal, lambda: services.publish_event(request.user, item.pk))
    if published is None:
        messages.error(request, " ".join(str(message) for message in refusal.non_field_errors()))
        return _event_page(request, item, ReturnForm(), status)
    messages.success(request, _("The event is published."))
    return redirect("community:event", item.pk)


@staff_member_required
@require_POST
def event_return(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Event, pk=pk)
    form = ReturnForm(request.POST)
    status = 400
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        returned, status = submit(form, lambda: services.return_event(request.user, item.pk, comment))
        if returned is not None:
            messages.success(request, _("The event was returned to the group with your comment."))
            return redirect("community:event_manage")
    return _event_page(request, item, form, status)


# --- News -------------------------------------------------------------------------------------------


def news(request):
    page = paging.page_of(NewsPost.objects.published(), 20, request.GET.get("page"))
    return render(request, "community/news.html", {"page": page, "posts": page.object_list})


def news_post(request, pk):
    post = get_object_or_404(NewsPost.objects.visible_to(request.user), pk=pk)
    return render(request, "community/news_post.html", {"post": post})


news_feed = feeds.NewsFeed()


# --- The printed newsletter ----------------------------------------------------------------------------


@staff_member_required
def newsletter_view(request):
    if "issue" not in request.GET:
        form = NewsletterForm(initial={"date": timezone.localdate()})
        return render(request, "community/newsletter_form.html", {"form": form})
    form = NewsletterForm(request.GET)
    if not form.is_valid():
        return render(request, "community/newsletter_form.html", {"form": form}, status=400)
    context = newsletter.issue_context(form.cleaned_data)
    return render(request, "community/newsletter_print.html", context)
