"""``--format text``: findings grouped by file and sheet, then a summary line."""

from __future__ import annotations

from tcstandards.common.i18n import ui
from tcstandards.reading.sources import group_name
from tcstandards.reporters.base import Reporter, visible
from tcstandards.standard import newest_standard
from tcstandards.validation.findings import ERROR, Finding, Report, ReturnResult

WHERE_WIDTH = (16, 48)  # the place column: at least 16 characters, as wide as the longest up to 48

COLORS = {"error": "red", "warning": "yellow"}


class TextReporter(Reporter):
    name = "text"

    def style(self, text: str, **kw: object) -> str:
        if not self.color:
            return text
        import click

        return click.style(text, **kw)  # type: ignore[arg-type]

    def render(self, report: Report) -> str:
        lang = self.lang
        keep, hidden = self.shown(report)
        lines: list[str] = []
        if not report.returns:
            lines.append(ui("text.none", lang))
        for result in report.returns:
            lines += self._return(result, visible(result.findings, keep))
            lines.append("")
        if hidden:
            lines.append(ui("text.more", lang, count=hidden, limit=self.max_findings))
        lines.append(
            ui(
                "text.summary",
                lang,
                returns=len(report.returns),
                files=report.files,
                errors=report.errors,
                warnings=report.warnings,
            )
        )
        if report.waived:
            lines.append(ui("text.waived-count", lang, count=report.waived))
        if report.unreadable:
            verdict = self.style(ui("text.verdict.unreadable", lang), fg="red", bold=True)
        elif report.errors:
            verdict = self.style(ui("text.verdict.errors", lang), fg="red", bold=True)
        else:
            verdict = self.style(ui("text.verdict.ok", lang), fg="green", bold=True)
        lines.append(verdict)
        return "\n".join(lines)

    def _return(self, result: ReturnResult, findings: list[Finding]) -> list[str]:
        lang = self.lang
        head = ui(
            "text.return",
            lang,
            files=group_name(result.files),
            office=result.office or "?",
            period=result.period or "?",
            version=result.standard_version or "?",
        )
        lines = [self.style(head, bold=True)]
        width = min(WHERE_WIDTH[1], max([WHERE_WIDTH[0], *(len(self._where(f)) for f in findings)]))
        groups: dict[tuple[str, str], list[Finding]] = {}  # one heading a sheet, in the order first met
        for f in findings:
            groups.setdefault((f.file, f.sheet or f.record or ""), []).append(f)
        for (file, sheet), group in groups.items():
            title = self._sheet(sheet) or ui("text.general", lang)
            if len(result.files) > 1:
                title = f"{file.rsplit('/', 1)[-1]} ({title})"
            lines.append(f"  {title}")
            for f in group:
                lines.append("    " + self._finding(f, width))
        if not result.findings:
            key = "text.clean" if result.records else "text.nothing"
            lines.append("  " + self.style(ui(key, lang), fg="green"))
        if result.records:
            lines.append("  " + ui("text.records", lang, count=result.records))
        return lines

    def _sheet(self, name: str) -> str:
        """A sheet as named in the file; a record type (a CSV file's) by its sheet name in the language."""
        return newest_standard().sheet_of(name, self.lang)

    def _where(self, f: Finding) -> str:
        if f.line and f.row is not None:
            where = ui("text.line", self.lang, line=f.row, column=f.column or "")
            return where if f.column else where.rstrip(", :;").split(",")[0]
        return f.location or "-"

    def _finding(self, f: Finding, width_where: int = WHERE_WIDTH[0]) -> str:
        severity = ui("text.waived" if f.waived else f"text.{f.severity}", self.lang)
        width = max(len(ui("text.error", self.lang)), len(ui("text.warning", self.lang)))
        label = self.style(
            f"{severity:<{width}}",
            fg="cyan" if f.waived else COLORS.get(f.severity, "white"),
            bold=f.severity == ERROR and not f.waived,
        )
        message = f.message + (" " + ui("text.waived-reason", self.lang, reason=f.waived) if f.waived else "")
        return f"{self._where(f):<{width_where}} {label} {f.rule:<26} {message}"
