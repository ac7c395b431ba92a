"""Errors the application raises to its callers, independent of any transport."""


class ApplicationError(Exception):
    """Base of the errors an entrypoint turns into a response."""


class Unauthorized(ApplicationError):
    """The credential is missing or unknown."""


class Forbidden(ApplicationError):
    """The credential is known but may not do this now."""


class NotFound(ApplicationError):
    """The thing does not exist, or is not visible to the caller."""


class Invalid(ApplicationError):
    """Input broke a rule; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
