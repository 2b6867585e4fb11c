from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from kyodo.groups.models import ActivityField, Group, Proposal


class GroupForm(forms.ModelForm):
    # The model's field `fields` (fields of activity) is set up through Meta: a form attribute of that
    # name would hide the form's own `fields`.
    class Meta:
        model = Group
        fields = [
            "name", "kana", "representative", "contact_name", "contact_email", "contact_phone", "fields",
            "area", "member_count", "description", "website", "sns",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "fields": forms.CheckboxSelectMultiple}
        labels = {"fields": _("Fields of activity")}
        help_texts = {"kana": _("e.g. かなざわまちづくりのかい")}
        field_classes = {
            "fields": BoundedModelMultipleChoiceField
        }  # an id past the database's range is a form error


# What the directory shows of a listed group (groups/directory/group.html); the rest only staff and the
# group's members see. The registration form says which is which, beside each field.
PUBLIC_FIELDS = ("name", "kana", "fields", "area", "description", "website", "sns")
PRIVATE_FIELDS = ("representative", "contact_name", "contact_email", "contact_phone", "member_count")


class RegisterForm(GroupForm):
    """A group's registration: the profile, and whether to be listed in the public directory (the
    group's explicit choice, off until they tick it)."""

    class Meta(GroupForm.Meta):
        fields = GroupForm.Meta.fields + ["listed"]
        labels = {**GroupForm.Meta.labels, "listed": _("List our group in the public group directory")}
        help_texts = {
            **GroupForm.Meta.help_texts,
            "listed": _(
                "If you tick this, once your group is approved its name and reading, fields and area of "
                "activity, description, website and SNS are shown to everyone on the directory page. You "
                "can change this later on your group's page."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listed"].initial = False
        for name in PUBLIC_FIELDS:
            self.fields[name].help_text = _join(self.fields[name].help_text, _("Public if listed."))
        for name in PRIVATE_FIELDS:
            self.fields[name].help_text = _join(self.fields[name].help_text, _("Never public: staff only."))


def _join(first: Any, second: Any) -> str:
    return f"{first} {second}" if first else str(second)


class GroupProfileForm(GroupForm):
    class Meta(GroupForm.Meta):
        fields = GroupForm.Meta.fields + ["logo", "listed", "seeks_collaboration", "collaboration_note"]
        widgets = {**GroupForm.Meta.widgets, "collaboration_note": forms.Textarea(attrs={"rows": 3})}


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the group)"), widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or kana"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    field = BoundedModelChoiceField(
        label=_("Field of activity"),
        required=False,
        queryset=ActivityField.objects.all(),
        empty_label=_("All fields"),
    )
    seeking = forms.BooleanField(label=_("Seeking collaboration only"), required=False)


class ProposalForm(forms.ModelForm):
    # A field people never see; bots fill it in. Hidden with CSS and from screen readers.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = Proposal
        fields = ["sender_name", "sender_email", "organisation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def _post_clean(self):
        pass
