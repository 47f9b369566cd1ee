"""One root error class, mapped to exit codes by the CLI.

Exceptions mean "could not run"; problems found in a return are findings
(:mod:`tcstandards.findings`), never exceptions.
"""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class TcstandardsError(Exception):
    """Root of every error the package raises on purpose."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, *, code: str = "error", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, Any] = params


class UsageError(TcstandardsError):
    """The command was called wrongly (bad option, missing path...)."""

    exit_code = EXIT_USAGE


class UnreadableInputError(TcstandardsError):
    """An input file cannot be read at all (corrupt, encrypted, wrong type...).

    ``code`` names the reason (a key of the UI message catalogue, under
    ``unreadable.``) so that reporters can say it in the user's language.
    """

    exit_code = EXIT_USAGE


class StandardError(TcstandardsError):
    """The standard files themselves are missing or inconsistent (a bug)."""

    exit_code = EXIT_INTERNAL
