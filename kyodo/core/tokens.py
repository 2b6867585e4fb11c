"""API tokens: created and revoked on the profile page or by `manage.py issue_token`."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.models import ApiToken, User


@transaction.atomic
def issue_token(user: User, name: str = "API") -> tuple[ApiToken, str]:
    """Create a token and return (row, raw). The raw token is shown once and never stored."""
    raw = ApiToken.generate()
    row = ApiToken.objects.create(
        user=user, name=name[:100] or "API", key_hash=ApiToken.hash(raw), prefix=raw[4:12]
    )
    return row, raw


def token_of(user: User, token_id: int) -> ApiToken | None:
    """One of the person's own tokens (None for anyone else's)."""
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def revoke_token(user: User, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def revoke_all(user: User) -> int:
    """Revoke every API token of the person (offered with a password change: a leaked password may
    have been used to create tokens that would outlive it)."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    if deleted:
        audit.record(user, "token.revoke_all", user, f"{deleted}")
    return int(deleted)


# "Last used" is for people deciding which token to revoke; minutes are precise enough, and writing it on
# every request made each API read a write (on SQLite, a turn at the one write lock).
LAST_USED_PRECISION = dt.timedelta(minutes=5)


def user_for_token(raw: str) -> User | None:
    row = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
