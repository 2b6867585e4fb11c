"""EMAIL_URL → Django e-mail settings.

smtp://user:pass@host:587?tls=1     SMTP with STARTTLS
smtps://user:pass@host:465          SMTP over SSL
console://                          print only
dev://                              print and keep a copy under var/mail/ (the default)
locmem://                           tests
"""

from urllib.parse import parse_qs, unquote, urlparse

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "dev": "kyodo.core.mail.DevBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str) -> dict[str, str | int | bool]:
    parsed = urlparse(url)
    if parsed.scheme not in BACKENDS:
        raise ValueError(f"EMAIL_URL scheme must be one of {sorted(BACKENDS)}")
    settings: dict[str, str | int | bool] = {"BACKEND": BACKENDS[parsed.scheme]}
    if parsed.scheme in {"smtp", "smtps"}:
        query = parse_qs(parsed.query)
        settings.update(
            EMAIL_HOST=parsed.hostname or "localhost",
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", ["0"])[0] in {"1", "true"},
        )
    return settings
