from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.groups.models import ActivityField, Group


class GroupForm(forms.ModelForm):
    fields = forms.ModelMultipleChoiceField(
        queryset=ActivityField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Fields of activity"),
    )

    class Meta:
        model = Group
        fields = [
            "name", "kana", "representative", "contact_name", "contact_email", "contact_phone", "fields",
            "area", "member_count", "description", "website", "sns",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"kana": _("e.g. かなざわまちづくりのかい")}


class GroupProfileForm(GroupForm):
    class Meta(GroupForm.Meta):
        fields = GroupForm.Meta.fields + ["logo", "listed", "seeks_collaboration", "collaboration_note"]
        widgets = {**GroupForm.Meta.widgets, "collaboration_note": forms.Textarea(attrs={"rows": 3})}


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the group)"), widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
