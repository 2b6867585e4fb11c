from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import translation

from kyodo.core import mail
from kyodo.core.mail import Addressee
from kyodo.core.net import client_address
from kyodo.core.text import one_line


def on_site(url: str) -> str:
    """The same page on SITE_URL: allauth builds its links from the request's Host header, which says
    127.0.0.1 behind a proxy (or whatever a client sent); Kyodo's mail links are on the site's address."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up remembers the language the person used and their name, so later e-mails come in that
    language and greet them by name.

    allauth's messages (verification, password reset, and the notices around them) are written like every
    other Kyodo message (core.mail.compose): the center as the sender, 「○○ 様」, the center's signature,
    a text and an HTML part, links on SITE_URL. Each is marked as carrying an access link, so only its
    addressee ever reads it (see core.models.OutboundEmail)."""

    def format_email_subject(self, subject: str) -> str:
        return one_line(subject)  # the sender already names the center: no "[127.0.0.1]" prefix

    def render_mail(self, template_prefix, email, context, headers=None):
        language = (translation.get_language() or "ja")[:2]
        location = mail.default_location()
        context = {
            **{
                key: on_site(v) if key.endswith("_url") and isinstance(v, str) else v
                for key, v in context.items()
            },
            "center": mail.Center.of(location, language),
            "site_url": settings.SITE_URL,
        }
        request = context.get("request")
        subject = self.format_email_subject(
            render_to_string(f"{template_prefix}_subject.txt", context, request)
        )
        body = render_to_string(f"{template_prefix}_message.txt", context, request)
        user = context.get("user")
        message = mail.compose(
            subject,
            body,
            [email] if isinstance(email, str) else list(email),
            language=language,
            addressee=Addressee(name=getattr(user, "name", "") or ""),
            location=location,
            headers=headers,
        )
        message.kyodo_grants_access = True  # type: ignore[attr-defined]  # read by core.mail.enqueue
        message.kyodo_template = template_prefix  # type: ignore[attr-defined]
        return message

    def get_client_ip(self, request):
        """allauth's sign-in and sign-up throttles count the same address as Kyodo's limits."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        user.preferred_language = (translation.get_language() or "ja")[:2]
        name = getattr(form, "cleaned_data", {}).get("name")
        if name:
            user.name = name
        return super().save_user(request, user, form, commit)
