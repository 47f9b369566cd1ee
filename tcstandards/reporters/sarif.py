"""``--format sarif``: SARIF 2.1.0, for code-scanning dashboards.

One run; the rule catalogue of the standard is the driver's rules (only those
that fired, each with its title, message template and guidance page).  A CSV
finding has a physical region (its line, and the character column where its
field starts); a workbook cell or a JSON
pointer is a logical location (``Finance!D14``, ``/finance/3/title``).  A
waived finding carries a suppression with the waiver's reason.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from tcstandards import __version__
from tcstandards.reading.csvfile import character_column
from tcstandards.reporters.base import Reporter, visible
from tcstandards.standard import Rule, load_standard, stable_version
from tcstandards.validation.findings import Finding, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tcstandards/tcstandards"


def _location(f: Finding) -> dict[str, Any]:
    uri = urllib.parse.quote(f.file.replace("\\", "/"), errors="surrogateescape")
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if f.line and f.row is not None:  # a CSV line, and where its field starts on it
        physical["region"] = {"startLine": f.row}
        column = character_column(f.file, f.row, f.column) if f.column else None
        if column is not None:
            physical["region"]["startColumn"] = column
    location: dict[str, Any] = {"physicalLocation": physical}
    if f.location and not f.line:
        kind = "element" if f.pointer is None else "object"
        location["logicalLocations"] = [{"fullyQualifiedName": f.location, "kind": kind}]
    elif f.line and f.field:
        location["logicalLocations"] = [{"name": f.field, "kind": "variable"}]
    return location


class SarifReporter(Reporter):
    name = "sarif"

    def render(self, report: Report) -> str:
        keep, _ = self.shown(report)
        findings = []
        catalogue: dict[str, tuple[int, Rule]] = {}  # rule id -> (its place in its catalogue, the rule)
        for r in report.returns:
            standard = load_standard(r.standard_version or stable_version())  # the version the return follows
            for f in visible(r.findings, keep):
                findings.append(f)
                catalogue.setdefault(f.rule, (list(standard.rules).index(f.rule), standard.rule(f.rule)))
        fired = sorted(catalogue, key=lambda rule_id: catalogue[rule_id][0])
        rules = []
        for rule_id in fired:
            rule = catalogue[rule_id][1]
            rules.append(
                {
                    "id": rule.id,
                    "name": rule.id,
                    "shortDescription": {"text": rule.title.get(self.lang) or rule.title["en"]},
                    "helpUri": f"{INFORMATION_URI}/blob/main/{rule.guidance}",
                    "defaultConfiguration": {"level": rule.severity},
                }
            )
        index = {rule_id: i for i, rule_id in enumerate(fired)}
        results = []
        for f in findings:
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": f.severity if f.severity in ("error", "warning") else "note",
                "message": {"text": f.message},
                "locations": [_location(f)],
            }
            if f.waived:
                result["suppressions"] = [{"kind": "external", "justification": f.waived}]
            results.append(result)
        document = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "tcstandards",
                            "version": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": rules,
                        }
                    },
                    "language": self.lang,
                    "results": results,
                }
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
