"""``--format json``: the findings as a versioned JSON document (see docs/json-output.md)."""

from __future__ import annotations

import json

from tcstandards.reporters.base import Reporter, envelope, visible
from tcstandards.validation.findings import Report

FORMAT = "tcstandards-validation"
FORMAT_VERSION = 1


class JsonReporter(Reporter):
    name = "json"

    def render(self, report: Report) -> str:
        keep, hidden = self.shown(report)
        document = {
            **envelope(FORMAT, FORMAT_VERSION, self.lang),
            "summary": {
                "returns": len(report.returns),
                "files": report.files,
                "errors": report.errors,
                "warnings": report.warnings,
                "waived": report.waived,
                "unreadable": report.unreadable,
                "findings_not_shown": hidden,
                "rules": dict(sorted(report.rule_counts().items())),
            },
            "returns": [
                {
                    "files": list(r.files),
                    "office": r.office,
                    "period": r.period,
                    "standard_version": r.standard_version,
                    "records": dict(r.record_counts),
                    "errors": r.errors,
                    "warnings": r.warnings,
                    "findings": [f.as_dict() for f in visible(r.findings, keep)],
                }
                for r in report.returns
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
