"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,title=RULE::MESSAGE``: a CSV finding carries its
line and the character column where its field starts (read from the file), and
the message starts with the field and its number; a workbook or JSON file has no
text lines to point at, so the annotation sits on the file and the message
starts with the sheet and cell (``Finance!D14``) or the JSON pointer.
"""

from __future__ import annotations

from tcstandards.common.i18n import ui
from tcstandards.reading.csvfile import character_column
from tcstandards.reporters.base import Reporter, visible
from tcstandards.validation.findings import Finding, Report

LEVELS = {"error": "error", "warning": "warning"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    level = "notice" if f.waived else LEVELS.get(f.severity, "notice")
    props = [f"file={_property(f.file)}"]
    message = f.message
    if f.line and f.row is not None:
        props.append(f"line={f.row}")
        column = character_column(f.file, f.row, f.column) if f.column else None
        if column is not None:  # the character where the field starts, as GitHub counts columns
            props.append(f"col={column}")
        if f.field:
            message = f"{f.field} (field {f.column}): {message}" if f.column else f"{f.field}: {message}"
    elif f.location:
        message = f"{f.location}: {message}"
    if f.waived:
        message = f"[waived: {f.waived}] {message}"
    props.append(f"title={_property(f.rule)}")
    return f"::{level} {','.join(props)}::{_data(message)}"


class GithubReporter(Reporter):
    name = "github"

    def render(self, report: Report) -> str:
        keep, _ = self.shown(report)
        lines = [annotation(f) for r in report.returns for f in visible(r.findings, keep)]
        lines.append(
            ui("text.summary", self.lang, returns=len(report.returns), files=report.files,
               errors=report.errors, warnings=report.warnings)
        )  # fmt: skip
        return "\n".join(lines)
