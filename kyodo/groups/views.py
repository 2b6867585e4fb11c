"""Pages of the groups app: registration, a group's private page and its members, staff review, and
the public directory (/groups/, a group's public page, the interviews under /features/)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kyodo.core import audit, confirm, once, paging, ratelimit
from kyodo.core import review as review_step
from kyodo.core.access import staff_member_required
from kyodo.core.doors import act, submit
from kyodo.core.sections import group_sections
from kyodo.groups import services
from kyodo.groups.forms import (
    DeclineForm,
    DirectoryFilterForm,
    GroupProfileForm,
    InviteForm,
    ProposalForm,
    RegisterForm,
)
from kyodo.groups.models import Feature, Group, Membership
from kyodo.groups.services.membership import invalid_invitation_message


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Apply to register a group: the form, its review page (確認画面), then the application, once."""
    form = RegisterForm(request.POST or None)
    step = review_step.step(request, form, unstaged=review_step.COMMIT)
    status = 400 if form.errors else 200
    shown = review_step.of(form) if step == review_step.REVIEW else None
    if step == review_step.COMMIT:
        data = {k: v for k, v in form.cleaned_data.items() if k != "fields"}
        made, status = submit(
            form,
            lambda: once.run(
                request, request.POST.get(once.FIELD), "groups.apply",
                lambda: services.apply(request.user, data, form.cleaned_data["fields"]),
            ),
        )  # fmt: skip
        if made is not None:
            if made.repeat:
                messages.info(request, once.ALREADY_RECEIVED)
                if made.obj is not None:
                    messages.info(request, once.reference_message(made.obj))
            else:
                messages.success(request, _("Thank you. Your application was sent; staff will review it."))
                messages.info(request, once.reference_message(made.obj))
            return redirect("groups:detail", made.obj.pk) if made.obj else redirect("core:profile")
    context = {
        "form": form, "review": shown, "once_key": once.key_of(request),
        "waiting": services.waiting_application(request.user),
    }  # fmt: skip
    return render(request, "groups/register.html", context, status=status)


def _visible_group(request: HttpRequest, group_id: int) -> Group:
    """The group's private page: its members and staff only; others get 404 (nothing leaks)."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Group.objects.visible_to(request.user), pk=group_id)


@login_required
def detail(request: HttpRequest, group_id: int) -> HttpResponse:
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


def _profile_data(request: HttpRequest, form: GroupProfileForm) -> dict:
    """The profile form's values for the service; the logo only when one was uploaded or cleared."""
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("fields", "logo")}
    if "logo" in request.FILES or form.cleaned_data.get("logo") is False:
        data["logo"] = form.cleaned_data.get("logo") or ""
    return data


@login_required
def edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _visible_group(request, group_id)
    if not services.can_manage(request.user, group):
        raise PermissionDenied
    form = GroupProfileForm(request.POST or None, request.FILES or None, instance=group)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fresh = Group.objects.get(pk=group.pk)  # the form changed `group` in memory
            saved, status = submit(
                form,
                lambda: services.update_profile(
                    request.user, fresh, _profile_data(request, form), form.cleaned_data["fields"]
                ),
            )
            if saved is not None:
                messages.success(request, _("The group's profile was saved."))
                return redirect("groups:detail", group.pk)
    return render(request, "groups/edit.html", {"group": group, "form": form}, status=status)


@login_required
@require_POST
def invite(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _visible_group(request, group_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        act(
            request,
            lambda: services.invite(request.user, group, email),
            _("The invitation was sent to %(email)s.") % {"email": email},
        )
    else:
        messages.error(request, _("Please enter a valid e-mail address."))
    return redirect("groups:detail", group.pk)


def _removed_message(removed: Membership) -> str:
    return _("%(name)s is no longer a member.") % {"name": removed.user.display_name()}


@login_required
def remove_member(request: HttpRequest, group_id: int, membership_id: int) -> HttpResponse:
    """GET: who is removed and what that means; POST: remove (the group's managers and staff)."""
    group = _visible_group(request, group_id)
    if request.method != "POST":
        membership = get_object_or_404(
            Membership.objects.select_related("user"), pk=membership_id, group=group
        )
        if not services.can_manage(request.user, group):
            raise PermissionDenied
        return confirm.page(request, confirm.Confirmation(
            title=_("Remove %(name)s from the group?") % {"name": membership.user.display_name()},
            consequence=_(
                "They can no longer see the group's page, borrow equipment or submit events for it, and "
                "invitations they sent are withdrawn. To have them back, invite them again."
            ),
            button=_("Remove from the group"),
            back_url=reverse("groups:detail", args=[group.pk]),
            facts=[
                (_("Group"), group.name),
                (_("Member"), membership.user.display_name()),
                (_("Role"), membership.get_role_display()),
            ],
        ))  # fmt: skip
    act(request, lambda: services.remove_member(request.user, group, membership_id), _removed_message)
    return redirect("groups:detail", group.pk)


@login_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        form = forms.Form(request.POST)  # no fields: it carries the service's refusal
        group, status = submit(form, lambda: services.accept_invitation(request.user, token))
        if group is None:
            error = " ".join(str(message) for message in form.non_field_errors())
            return render(request, "groups/invitation.html", {"error": error}, status=status)
        messages.success(request, _("You joined %(group)s.") % {"group": group.name})
        return redirect("groups:detail", group.pk)
    # GET shows a button only, so a mail scanner following the link changes nothing.
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "groups/invitation.html", {"error": invalid_invitation_message()}, status=404)
    return render(request, "groups/invitation.html", {"invitation": invitation})


@staff_member_required
def review_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Group.Status.PENDING)
    if status not in Group.Status.values:
        status = Group.Status.PENDING
    groups = Group.objects.with_status(status).order_by("created_at")
    return render(
        request,
        "groups/review_list.html",
        {"groups": groups, "status": status, "statuses": Group.Status.choices},
    )


def _review_page(request: HttpRequest, group: Group, status: int = 200) -> HttpResponse:
    context = {
        "group": group,
        "members": group.memberships.select_related("user"),
    }
    return render(request, "groups/review.html", context, status=status)


@staff_member_required
@require_GET
def review(request: HttpRequest, group_id: int) -> HttpResponse:
    return _review_page(request, get_object_or_404(Group, pk=group_id))


@staff_member_required
@require_POST
def approve(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=group_id)
    message = _("%(group)s was approved.") % {"group": group.name}
    if act(request, lambda: services.approve(request.user, group.pk), message):
        return redirect("groups:review_list")
    return redirect("groups:review", group.pk)


def _decline_confirmation(group: Group, form: DeclineForm) -> confirm.Confirmation:
    return confirm.Confirmation(
        title=_("Decline this registration?"),
        consequence=_(
            "The applicants are told by e-mail, with your reason. The group cannot borrow equipment or "
            "appear in the directory; it would have to apply again."
        ),
        button=_("Decline the registration"),
        back_url=reverse("groups:review", args=[group.pk]),
        facts=[(_("Group"), group.name), (_("Representative"), group.representative)],
        form=form,
    )


@staff_member_required
def decline(request: HttpRequest, group_id: int) -> HttpResponse:
    """GET: the group, what declining means and the reason to give; POST: decline (the applicants are mailed)."""
    group = get_object_or_404(Group, pk=group_id)
    if request.method != "POST":
        return confirm.page(request, _decline_confirmation(group, DeclineForm()))
    form = DeclineForm(request.POST)
    status = 400
    if form.is_valid():
        declined, status = submit(
            form, lambda: services.decline(request.user, group.pk, form.cleaned_data["reason"])
        )
        if declined is not None:
            messages.success(request, _("%(group)s was declined.") % {"group": group.name})
            return redirect("groups:review_list")
    return confirm.page(request, _decline_confirmation(group, form), status)


# --- The public directory: groups, a group's public page, features, proposals -------------------------


def directory(request: HttpRequest) -> HttpResponse:
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


def _propose(request: HttpRequest, group: Group, form: ProposalForm) -> tuple[once.Made[Any] | None, int]:
    if form.cleaned_data["website"]:
        return once.Made(None, repeat=False), 200  # a bot filled in the hidden field: as if it worked
    ip = ratelimit.client_ip(request)
    return submit(
        form,
        lambda: once.run(
            request, request.POST.get(once.FIELD), "groups.proposal",
            lambda: services.send_proposal(group.pk, form.cleaned_data, ip=ip),
        ),
    )  # fmt: skip


def public(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's public page, with the collaboration proposal form, its review page, then sending, once."""
    item = get_object_or_404(Group.objects.listed().prefetch_related("fields"), pk=pk)
    form = ProposalForm(request.POST or None)
    step = review_step.step(request, form, unstaged=review_step.COMMIT)
    status = 400 if form.errors else 200
    shown = review_step.of(form, skip=("website",)) if step == review_step.REVIEW else None
    if step == review_step.COMMIT:
        made, status = _propose(request, item, form)
        if made is not None:
            if made.repeat:
                messages.info(request, once.ALREADY_RECEIVED)
                if made.obj is not None:  # the one sent first: its 受付番号 again, for the phone
                    messages.info(request, once.reference_message(made.obj))
            elif made.obj is not None:
                messages.success(request, _("Thank you. Your proposal was sent to the group."))
                messages.info(request, once.reference_message(made.obj))
            else:
                messages.success(request, _("Thank you. Your proposal was sent to the group."))
            return redirect("groups:public", item.pk)
    context = {
        "group": item,
        "features": item.features.published().prefetch_related("questions"),
        "events": item.events.published().upcoming(),  # the community app's events, by their relation
        "form": form,
        "review": shown,
        "once_key": once.key_of(request),
        "can_manage": services.can_manage(request.user, item),
    }
    return render(request, "groups/directory/group.html", context, status=status)


def features(request: HttpRequest) -> HttpResponse:
    listing = services.published_features().prefetch_related("questions")
    return render(request, "groups/directory/features.html", {"features": listing})


def feature(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Feature.objects.published().select_related("group"), pk=pk)
    return render(
        request, "groups/directory/feature.html", {"feature": item, "questions": item.questions.all()}
    )
