"""``--format json``: the findings as a versioned JSON document (see docs/json-output.md)."""

from __future__ import annotations

import json
import uuid
from json.encoder import encode_basestring

from tcstandards.reporters.base import Reporter, envelope, visible
from tcstandards.validation.findings import Report

FORMAT = "tcstandards-validation"
FORMAT_VERSION = 1


class JsonReporter(Reporter):
    name = "json"

    def render(self, report: Report) -> str:
        keep, hidden = self.shown(report)
        mark = f"{MARK}{uuid.uuid4().hex}-"  # stands for each return's findings; no input can spell it
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
                    "findings": f"{mark}{index}",
                }
                for index, r in enumerate(report.returns)
            ],
        }
        rest = json.dumps(document, ensure_ascii=False, indent=2)
        parts = []
        for index, r in enumerate(report.returns):  # the findings: thousands of flat objects, written fast
            head, rest = rest.split(json.dumps(f"{mark}{index}"), 1)
            parts += [head, _objects([f.as_dict() for f in visible(r.findings, keep)], FINDINGS_INDENT)]
        return "".join([*parts, rest])


MARK = "\u0000tcstandards-findings-"
FINDINGS_INDENT = 6  # "returns" > a return > "findings"


def _objects(items: list[dict[str, object]], indent: int) -> str:
    """A list of flat objects exactly as ``json.dumps(..., ensure_ascii=False, indent=2)`` writes it there."""
    if not items:
        return "[]"
    pad, inner = " " * (indent + 2), " " * (indent + 4)
    keys: dict[str, str] = {}  # key -> its text, with the indent before and ": " after
    written = []
    for item in items:
        parts = []
        for key, value in item.items():
            head = keys.get(key) or keys.setdefault(key, f"{inner}{encode_basestring(key)}: ")
            parts.append(head + _scalar(value))
        written.append("{\n" + ",\n".join(parts) + f"\n{pad}}}")
    return "[\n" + pad + f",\n{pad}".join(written) + "\n" + " " * indent + "]"


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return str(encode_basestring(value))
    if value.__class__ is int:  # not a bool
        return repr(value)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False)  # true, false, a float, anything else
