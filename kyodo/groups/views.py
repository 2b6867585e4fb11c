"""Pages of the groups app: registration, a group's private page and its members, staff review, and
the public directory (/groups/, a group's public page, the interviews under /features/)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyodo.core import audit, paging, ratelimit
from kyodo.core.errors import RateLimited
from kyodo.core.forms import add_service_errors
from kyodo.core.sections import group_sections
from kyodo.groups import services
from kyodo.groups.forms import (
    DeclineForm,
    DirectoryFilterForm,
    GroupForm,
    GroupProfileForm,
    InviteForm,
    ProposalForm,
)
from kyodo.groups.models import Feature, Group
from kyodo.groups.services.membership import invalid_invitation_message


@login_required
def register(request):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "fields"}
        try:
            group = services.apply(request.user, data, form.cleaned_data["fields"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your application was sent; staff will review it."))
            return redirect("groups:detail", group.pk)
    status = 400 if form.errors else 200
    return render(request, "groups/register.html", {"form": form}, status=status)


def _visible_group(request, group_id):
    """The group's private page: its members and staff only; others get 404 (nothing leaks)."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Group.objects.visible_to(request.user), pk=group_id)


@login_required
def detail(request, group_id):
    group = _visible_group(request, group_id)
    context = {
        "group": group,
        "members": group.memberships.select_related("user"),
        "can_manage": services.can_manage(request.user, group),
        "invite_form": InviteForm(),
        "proposals": services.proposals_for(request.user, group)[:50],
        "sections": group_sections(request, group),
        "history": audit.entries_for(group)[:20] if request.user.is_staff else [],
    }
    return render(request, "groups/detail.html", context)


@login_required
def edit(request, group_id):
    group = _visible_group(request, group_id)
    if not services.can_manage(request.user, group):
        raise PermissionDenied
    form = GroupProfileForm(request.POST or None, request.FILES or None, instance=group)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("fields", "logo")}
        if "logo" in request.FILES or form.cleaned_data.get("logo") is False:
            data["logo"] = form.cleaned_data.get("logo") or ""
        try:
            services.update_profile(
                request.user, Group.objects.get(pk=group.pk), data, form.cleaned_data["fields"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group's profile was saved."))
            return redirect("groups:detail", group.pk)
    return render(
        request, "groups/edit.html", {"group": group, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def invite(request, group_id):
    group = _visible_group(request, group_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite(request.user, group, form.cleaned_data["email"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % form.cleaned_data)
    else:
        messages.error(request, _("Please enter a valid e-mail address."))
    return redirect("groups:detail", group.pk)


@login_required
@require_POST
def remove_member(request, group_id, membership_id):
    group = _visible_group(request, group_id)
    try:
        removed = services.remove_member(request.user, group, membership_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": removed.user.display_name})
    return redirect("groups:detail", group.pk)


@login_required
def accept_invitation(request, token):
    if request.method == "POST":
        try:
            group = services.accept_invitation(request.user, token)
        except ValidationError as exc:
            return render(request, "groups/invitation.html", {"error": " ".join(exc.messages)}, status=400)
        messages.success(request, _("You joined %(group)s.") % {"group": group.name})
        return redirect("groups:detail", group.pk)
    # GET shows a button only, so a mail scanner following the link changes nothing.
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "groups/invitation.html", {"error": invalid_invitation_message()}, status=404)
    return render(request, "groups/invitation.html", {"invitation": invitation})


@staff_member_required
def review_list(request):
    status = request.GET.get("status", Group.Status.PENDING)
    if status not in Group.Status.values:
        status = Group.Status.PENDING
    groups = Group.objects.with_status(status).order_by("created_at")
    return render(
        request,
        "groups/review_list.html",
        {"groups": groups, "status": status, "statuses": Group.Status.choices},
    )


@staff_member_required
def review(request, group_id):
    group = get_object_or_404(Group, pk=group_id)
    decline_form = DeclineForm(request.POST if request.POST.get("action") == "decline" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve(request.user, group.pk)
                messages.success(request, _("%(group)s was approved.") % {"group": group.name})
                return redirect("groups:review_list")
            if action == "decline" and decline_form.is_valid():
                services.decline(request.user, group.pk, decline_form.cleaned_data["reason"])
                messages.success(request, _("%(group)s was declined.") % {"group": group.name})
                return redirect("groups:review_list")
        except ValidationError as exc:
            add_service_errors(decline_form, exc)
    context = {
        "group": group,
        "decline_form": decline_form,
        "members": group.memberships.select_related("user"),
    }
    return render(request, "groups/review.html", context, status=400 if decline_form.errors else 200)


# --- The public directory: groups, a group's public page, features, proposals -------------------------


def directory(request):
    form = DirectoryFilterForm(request.GET)
    listing = Group.objects.listed().prefetch_related("fields")
    if form.is_valid():
        listing = listing.matching(form.cleaned_data["q"])
        if form.cleaned_data["field"]:
            listing = listing.filter(fields=form.cleaned_data["field"])
        if form.cleaned_data["seeking"]:
            listing = listing.filter(seeks_collaboration=True)
    else:
        listing = listing.none()
    # 5,000 groups at the scale: pages of 30, with the total (a COUNT over groups is cheap).
    page = Paginator(listing.distinct(), 30).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "groups": page.object_list,
        "query": paging.query_without_page(request),
    }
    return render(request, "groups/directory/groups.html", context, status=200 if form.is_valid() else 400)


def public(request, pk):
    item = get_object_or_404(Group.objects.listed().prefetch_related("fields"), pk=pk)
    form = ProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A bot filled in the hidden field: answer as if it worked, send nothing.
                messages.success(request, _("Thank you. Your proposal was sent to the group."))
                return redirect("groups:public", item.pk)
            try:
                services.send_proposal(item.pk, form.cleaned_data, ip=ratelimit.client_ip(request))
            except ValidationError as exc:
                add_service_errors(form, exc)
            except RateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            else:
                messages.success(request, _("Thank you. Your proposal was sent to the group."))
                return redirect("groups:public", item.pk)
    context = {
        "group": item,
        "features": item.features.published().prefetch_related("questions"),
        "events": item.events.published().upcoming(),  # the community app's events, by their relation
        "form": form,
        "can_manage": services.can_manage(request.user, item),
    }
    return render(request, "groups/directory/group.html", context, status=status)


def features(request):
    listing = services.published_features().prefetch_related("questions")
    return render(request, "groups/directory/features.html", {"features": listing})


def feature(request, pk):
    item = get_object_or_404(Feature.objects.published().select_related("group"), pk=pk)
    return render(
        request, "groups/directory/feature.html", {"feature": item, "questions": item.questions.all()}
    )
