"""Reporters: a small registry of classes, one per output format.

A reporter turns a :class:`~tcstandards.findings.Report` into text; the CLI
writes it.  Add a format by adding a class and an entry in :data:`REPORTERS`.
"""

from __future__ import annotations

from tcstandards.reporters.base import Reporter
from tcstandards.reporters.github import GithubReporter
from tcstandards.reporters.json import JsonReporter
from tcstandards.reporters.junit import JunitReporter
from tcstandards.reporters.sarif import SarifReporter
from tcstandards.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
}

__all__ = ["REPORTERS", "Reporter"]
