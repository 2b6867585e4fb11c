from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils import translation

from kyodo.core.net import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up remembers the language the person used, so later e-mails come in that language.

    Every message allauth sends (verification, password reset, and the notices around them) is marked as
    carrying an access link, so only its addressee ever reads it (see core.models.OutboundEmail)."""

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.kyodo_grants_access = True
        message.kyodo_template = template_prefix
        return message

    def get_client_ip(self, request):
        """allauth's sign-in and sign-up throttles count the same address as Kyodo's limits."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def save_user(self, request, user, form, commit=True):
        user.preferred_language = (translation.get_language() or "ja")[:2]
        return super().save_user(request, user, form, commit)
