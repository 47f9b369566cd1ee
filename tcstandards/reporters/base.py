from __future__ import annotations

from typing import ClassVar

from tcstandards import __version__
from tcstandards.validation.findings import Finding, Report


def envelope(name: str, version: int, lang: str) -> dict[str, object]:
    """The first keys of every JSON document the tool writes: what it is, which version, by whom."""
    return {"format": name, "format_version": version, "tool_version": __version__, "lang": lang}


class Reporter:
    """Base class: ``render`` returns the whole output as one string."""

    name: ClassVar[str] = ""

    def __init__(self, *, lang: str = "en", max_findings: int | None = None, color: bool = False) -> None:
        self.lang = lang
        self.max_findings = max_findings
        self.color = color

    def render(self, report: Report) -> str:
        raise NotImplementedError

    def shown(self, report: Report) -> tuple[set[int], int]:
        """ids of the findings to show (the first ``max_findings``) and how many are left out."""
        everything = report.findings
        limit = len(everything) if self.max_findings is None else max(self.max_findings, 0)
        return {id(f) for f in everything[:limit]}, max(len(everything) - limit, 0)


def visible(findings: tuple[Finding, ...], keep: set[int]) -> list[Finding]:
    return [f for f in findings if id(f) in keep]
