"""What a service says when a request cannot be served: the views turn it into an exit code or a status."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the service refuses, with a message for the user and names they may have meant."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []

    def explained(self) -> str:
        """The message with the names the user may have meant, for a terminal."""
        if not self.suggestions or "Did you mean" in self.message:
            return self.message
        return f"{self.message}. Did you mean: {', '.join(self.suggestions)}?"


class NotFound(ServiceError):
    """No model, provider, route or run by that name (exit 2, HTTP 404)."""


class BadInput(ServiceError):
    """A request that cannot mean anything: a malformed route, an unknown capability (exit 2, HTTP 400)."""
