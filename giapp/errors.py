"""Errors that reach the user: Chinese text that names the place and the reason."""


class GiappError(Exception):
    """A problem to show the user as it is; never a traceback."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
