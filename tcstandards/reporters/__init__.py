"""Reporters: a small registry of classes, one per output format.

A reporter turns a :class:`~tcstandards.findings.Report` into text; the CLI
writes it.  Add a format by adding a class and an entry in :data:`REPORTERS`.
"""

from __future__ import annotations

from .base import Reporter
from .github import GithubReporter
from .json import JsonReporter
from .junit import JunitReporter
from .sarif import SarifReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
}

__all__ = ["REPORTERS", "Reporter"]
