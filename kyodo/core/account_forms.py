"""allauth's password forms, with one more choice: revoke the person's API tokens at the same time.

A password that leaked may have been used to create API tokens; they would keep working after the
password changes. The box is shown only to someone who has tokens, and says how many."""

from typing import Any

from allauth.account.forms import ChangePasswordForm, ResetPasswordKeyForm
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kyodo.core import tokens
from kyodo.core.models import ApiToken, User


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


class KyodoChangePasswordForm(_RevokeTokensChoice, ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_revoke()

    def save(self) -> None:
        super().save()
        self._revoke_if_chosen()


class KyodoResetPasswordKeyForm(_RevokeTokensChoice, ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_revoke()

    def save(self) -> None:
        super().save()
        self._revoke_if_chosen()
