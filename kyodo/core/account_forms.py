"""allauth's forms as Kyodo's pages draw them, and two choices more.

Every account form (AccountFormMixin): labels without a colon (Japanese punctuation: the label stands
alone), no placeholder standing in for a label, the password rules as a list of their own that the field's
aria-describedby names (see account/_password_field.html), and no "Forgot your password?" link hidden
in a field's hint (the sign-in page has it as a link of its own).

Sign-up asks for the person's name (User.name): mail greets them by it, and staff see who applied.

The password forms offer to revoke the person's API tokens at the same time: a password that leaked may
have been used to create API tokens; they would keep working after the password changes. The box is
shown only to someone who has tokens, and says how many."""

from typing import Any

from allauth.account.forms import (
    AddEmailForm,
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kyodo.core import tokens
from kyodo.core.models import ApiToken, User

# The fields that set a new password: their hint is the list of the rules.
NEW_PASSWORD_FIELDS = ("password1",)


class AccountFormMixin:
    fields: dict[str, forms.Field]
    label_suffix: str

    def _as_kyodo_draws_it(self) -> None:
        self.label_suffix = ""
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in NEW_PASSWORD_FIELDS:
                rules = password_validation.password_validators_help_texts()
                field.password_rules = rules  # type: ignore[attr-defined]  # read by account/_password_field.html
                field.help_text = " ".join(rules)
            elif isinstance(field.widget, forms.PasswordInput):
                field.help_text = ""  # allauth's "Forgot your password?" link: the page has its own


class KyodoLoginForm(AccountFormMixin, LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._as_kyodo_draws_it()


class KyodoSignupForm(AccountFormMixin, SignupForm):
    field_order = ["name", "email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"] = forms.CharField(
            label=_("Your name"),
            max_length=User._meta.get_field("name").max_length,
            help_text=_("As on your group's papers, e.g. 金沢 花子. Our mail greets you by it."),
            widget=forms.TextInput(attrs={"autocomplete": "name"}),
        )
        self.order_fields(self.field_order)
        self._as_kyodo_draws_it()


class KyodoAddEmailForm(AccountFormMixin, AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._as_kyodo_draws_it()


class KyodoResetPasswordForm(AccountFormMixin, ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._as_kyodo_draws_it()


class KyodoSetPasswordForm(AccountFormMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._as_kyodo_draws_it()


class _RevokeTokensChoice:
    user: User | None
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _offer_revoke(self) -> None:
        count = ApiToken.objects.filter(user=self.user).count() if self.user else 0
        if count:
            self.fields["revoke_tokens"] = forms.BooleanField(
                required=False,
                initial=True,
                label=ngettext(
                    "Also revoke my API token (%(count)d)",
                    "Also revoke my API tokens (%(count)d)",
                    count,
                )
                % {"count": count},
                help_text=_("Scripts using them will stop working until you create new ones."),
            )

    def _revoke_if_chosen(self) -> None:
        if self.user is not None and self.cleaned_data.get("revoke_tokens"):
            tokens.revoke_all(self.user)


class KyodoChangePasswordForm(AccountFormMixin, _RevokeTokensChoice, ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_revoke()
        self._as_kyodo_draws_it()

    def save(self) -> None:
        super().save()
        self._revoke_if_chosen()


class KyodoResetPasswordKeyForm(AccountFormMixin, _RevokeTokensChoice, ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_revoke()
        self._as_kyodo_draws_it()

    def save(self) -> None:
        super().save()
        self._revoke_if_chosen()
