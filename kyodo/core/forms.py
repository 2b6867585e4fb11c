from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.core.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "kana", "phone", "preferred_language"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("e.g. the script that will use it")
    )


def add_service_errors(form, exc):
    """Show a service's ValidationError on the form: per field where it names one, else at the top."""
    if hasattr(exc, "message_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
