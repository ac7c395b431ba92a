"""Rule violations raised by aggregates; the application maps them to API errors."""


class DomainError(Exception):
    """A command broke a rule of the domain."""


class KeyDeleted(DomainError):
    """The API key was deleted; it can no longer do anything."""


class KeyInactive(DomainError):
    """The API key is deactivated and consumes nothing."""


class QuotaExhausted(DomainError):
    """The API key has no quota left."""


class InvalidQuota(DomainError):
    """A quota was negative or not an integer."""


class IllegalTransition(DomainError):
    """The aggregate is not in a state where this command is allowed."""
