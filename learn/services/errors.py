"""Errors that services raise and the web layer turns into pages."""


class NotFound(Exception):
    """The thing does not exist, or is outside what the user may see (answered as 404)."""


class Forbidden(Exception):
    """The user's role does not allow this action (answered as 403)."""


class Invalid(Exception):
    """Input that breaks a rule; `messages` are ready to show to the user."""

    def __init__(self, *messages: str):
        super().__init__("; ".join(messages))
        self.messages = list(messages)
