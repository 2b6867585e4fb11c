from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up remembers the language the person used, so later e-mails come in that language.

    Every message allauth sends (verification, password reset, and the notices around them) is marked as
    carrying an access link, so only its addressee ever reads it (see core.models.OutboundEmail)."""

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.kyodo_grants_access = True
        message.kyodo_template = template_prefix
        return message

    def save_user(self, request, user, form, commit=True):
        user.preferred_language = (translation.get_language() or "ja")[:2]
        return super().save_user(request, user, form, commit)
