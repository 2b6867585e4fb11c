from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up remembers the language the person used, so later e-mails come in that language."""

    def save_user(self, request, user, form, commit=True):
        user.preferred_language = (translation.get_language() or "ja")[:2]
        return super().save_user(request, user, form, commit)
