"""Domain errors. Services raise them; views turn them into messages, the API into 4xx."""


class ApplicationError(Exception):
    """A request the domain refuses, with a message the user can read (already translated).

    ``audit_outcome`` is how the audit trail files the refusal when it reaches the user
    (``core.refusals``): "denied" — the domain said no; a subclass for a failure that is no
    one's refusal (a concurrent change) says "failed"."""

    audit_outcome = "denied"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
