"""Domain errors every door maps the same way: ValidationError → 422, Unavailable → 409,
PermissionDenied → 403, Http404 → 404."""


class Unavailable(Exception):
    """What was asked for is taken (a unit, a slot): answer 409 with this message."""

    def __init__(self, message, details=None):
        super().__init__(message)
        self.message = str(message)
        self.details = details or {}
