from ninja.security import HttpBearer, SessionAuth

from kyodo.core.tokens import user_for_token


class BearerToken(HttpBearer):
    """Authorization: Bearer <token>, created on the profile page or by `manage.py issue_token`."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The signed-in browser session (for the interactive docs), CSRF-checked for writes.

    Only a signed-in session is CSRF-checked: a call with neither token nor session (a script that forgot
    its Authorization header) has no cookie to protect, and gets the 401 that says what to send instead
    of django-ninja's 403 "CSRF check failed"."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class OptionalAuth(HttpBearer):
    """Public endpoints: a token, if given, identifies the caller; without one the caller is anonymous."""

    def __call__(self, request):
        # `request.api_user` is who the token names, or None. Public writes use it, never the session
        # cookie, because these endpoints are exempt from CSRF: another site could post with the cookie.
        request.api_user = None
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = user_for_token(header[7:].strip())
            if user is not None:
                request.user = request.api_user = user
        return True

    def authenticate(self, request, token):  # pragma: no cover - __call__ handles it
        return True


REQUIRED = [BearerToken(), Session()]
