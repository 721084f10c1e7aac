"""Domain errors. Services raise them; views turn them into messages, the API into 4xx."""


class ApplicationError(Exception):
    """A request the domain refuses, with a message the user can read (already translated)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
