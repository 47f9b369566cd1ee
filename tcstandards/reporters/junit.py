"""``--format junit``: JUnit XML, which most CI systems show as test results.

A return is a test suite; each error is a failing test case (named by rule
and place), each warning or waived finding a passing one with the message in
``system-out``, and a return without findings one passing case.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from tcstandards.reporters.base import Reporter, visible
from tcstandards.validation.findings import ERROR, Report


class JunitReporter(Reporter):
    name = "junit"

    def render(self, report: Report) -> str:
        keep, _ = self.shown(report)
        root = ET.Element("testsuites", name="tcstandards", tests="0", failures=str(report.errors))
        total = 0
        for result in report.returns:
            name = result.files[0] if len(result.files) == 1 else result.files[0].rsplit("_", 1)[0] + "_*.csv"
            findings = visible(result.findings, keep)
            suite = ET.SubElement(
                root, "testsuite", name=name, tests=str(max(len(findings), 1)), failures=str(result.errors)
            )
            if not findings:
                ET.SubElement(suite, "testcase", classname=name, name="meets the standard")
            for f in findings:
                case = ET.SubElement(
                    suite, "testcase", classname=f.file, name=f"{f.rule} at {f.location or '-'}"
                )
                if f.severity == ERROR and not f.waived:
                    failure = ET.SubElement(case, "failure", message=f.message, type=f.rule)
                    failure.text = f"{f.location}: {f.message}"
                else:
                    out = ET.SubElement(case, "system-out")
                    out.text = f"{f.severity}{' (waived: ' + f.waived + ')' if f.waived else ''}: {f.message}"
            total += max(len(findings), 1)
        root.set("tests", str(total))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
