"""Output of ``consolidate`` and ``history``: text for people, versioned JSON for programs."""

from __future__ import annotations

import json
from typing import Any

from tcstandards.common.i18n import ui
from tcstandards.hq.conflicts import differences_text
from tcstandards.hq.consolidate import DUPLICATE, Consolidation, Outcome
from tcstandards.hq.store import Conflict, Submission
from tcstandards.reading.sources import group_name
from tcstandards.reporters.base import envelope
from tcstandards.reporters.text import TextReporter
from tcstandards.standard import Standard, newest_standard
from tcstandards.validation.findings import Report

CONSOLIDATION_FORMAT = "tcstandards-consolidation"
HISTORY_FORMAT = "tcstandards-history"
SUBMISSION_FORMAT = "tcstandards-submission"
FORMAT_VERSION = 1


def _date(moment: str) -> str:
    return moment.replace("T", " ").replace("Z", " UTC")


def consolidation_text(
    run: Consolidation, lang: str, color: bool = False, max_findings: int | None = None
) -> str:
    findings = TextReporter(lang=lang, color=color, max_findings=max_findings)
    if not run.outcomes:
        return ui("consolidate.nothing", lang)
    lines = [ui("consolidate.store", lang, store=run.store), ""]
    for outcome in run.outcomes:
        lines.append(findings.style(_headline(outcome, lang), bold=True))
        if outcome.status != DUPLICATE and outcome.result.findings:
            report = Report((outcome.result,), lang=lang)
            keep, hidden = findings.shown(report)
            body = findings._return(outcome.result, [f for f in outcome.result.findings if id(f) in keep])
            lines += ["  " + line for line in body[1:]]
            if hidden:
                lines.append(ui("consolidate.more", lang, count=hidden, limit=max_findings))
        lines.append("")
    lines.append(
        ui(
            "consolidate.summary",
            lang,
            returns=len(run.outcomes),
            merged=run.count("merged"),
            quarantined=run.count("quarantined"),
            duplicates=run.count(DUPLICATE),
            errors=run.errors,
            warnings=run.warnings,
            conflicts=run.conflicts,
        )
    )
    if run.count(DUPLICATE) == len(run.outcomes):
        lines.append(ui("consolidate.unchanged", lang))
    return "\n".join(lines)


def _headline(outcome: Outcome, lang: str) -> str:
    s = outcome.submission
    result = outcome.result
    given = group_name(result.files)
    params = {
        "id": s.id,
        "office": result.office or s.office or "?",
        "period": result.period or s.period or "?",
        "file": s.file_name,
        "records": result.records,
        "errors": result.errors,
        "warnings": result.warnings,
        "received": _date(s.received_at),
    }
    if outcome.status == DUPLICATE:
        line = ui(
            "consolidate.duplicate", lang, outcome=ui(f"outcome.{s.outcome}", lang), given=given, **params
        )
        if s.outcome == "quarantined":
            line += " " + ui("consolidate.recheck-hint", lang)
        return line
    if outcome.status == "merged" and not s.current:
        return ui("consolidate.older", lang, current=s.superseded_by, **params)
    line = ui(f"consolidate.{outcome.status}", lang, **params)
    if outcome.replaced is not None:
        line += " " + ui("consolidate.replaces", lang, replaced=outcome.replaced)
    return line


def consolidation_json(run: Consolidation, lang: str) -> str:
    document = {
        **envelope(CONSOLIDATION_FORMAT, FORMAT_VERSION, lang),
        "store": run.store,
        "summary": {
            "returns": len(run.outcomes),
            "merged": run.count("merged"),
            "quarantined": run.count("quarantined"),
            "duplicates": run.count(DUPLICATE),
            "errors": run.errors,
            "warnings": run.warnings,
            "conflicts": run.conflicts,
        },
        "returns": [_outcome(o) for o in run.outcomes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _outcome(outcome: Outcome) -> dict[str, Any]:
    result = outcome.result
    duplicate = outcome.status == DUPLICATE
    return {
        "status": outcome.status,
        "submission": outcome.submission.as_dict(),
        "replaces": outcome.replaced,
        "files": list(result.files),
        "office": result.office,
        "period": result.period,
        "errors": 0 if duplicate else result.errors,
        "warnings": 0 if duplicate else result.warnings,
        "records": dict(result.record_counts),
        "conflicts": [c.as_dict() | {"submission": outcome.submission.id} for c in outcome.conflicts],
        "findings": [] if duplicate else [f.as_dict() for f in result.findings],
    }


def history_text(submissions: list[Submission], lang: str) -> str:
    if not submissions:
        return ui("history.none", lang)
    head = [
        ui(f"history.column.{c}", lang)
        for c in ("id", "office", "period", "prepared", "received", "outcome", "counts", "file")
    ]
    rows = []
    for s in submissions:
        state = ui(f"outcome.{s.outcome}", lang)
        if s.current:
            state += " *"
        elif s.superseded_by:
            state += f" → #{s.superseded_by}"
        counts = ui("history.counts", lang, errors=s.errors, warnings=s.warnings, records=s.records)
        prepared = (s.prepared_on or "-") + (f" r{s.revision}" if s.revision else "")  # what orders versions
        by = f" ({ui('history.by', lang, name=s.submitted_by)})" if s.submitted_by else ""  # the portal's
        rows.append(
            [f"#{s.id}", s.office or "?", s.period or "?", prepared, _date(s.received_at), state, counts,
             s.file_name + by]
        )  # fmt: skip
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head) - 1)]
    lines = []
    for row in [head, *rows]:
        lines.append("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=False)) + "  " + row[-1])
    lines.append("")
    lines.append(ui("history.legend", lang, count=len(submissions)))
    return "\n".join(lines)


def history_json(submissions: list[Submission], lang: str) -> str:
    document = {
        **envelope(HISTORY_FORMAT, FORMAT_VERSION, lang),
        "submissions": [s.as_dict() for s in submissions],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def submission_text(
    submission: Submission,
    findings: list[dict[str, Any]],
    conflicts: list[Conflict],
    lang: str,
    standard: Standard | None = None,
) -> str:
    """One submission with its stored findings and the conflicts it is part of."""
    lines = history_text([submission], lang).splitlines()[:2]
    lines += [f"sha256 {submission.sha256}", ""]
    if findings:
        for f in findings:
            severity = ui(f"text.{f['severity']}", lang)
            where = f["location"] or "-"
            if len(submission.files) > 1 and f["file"]:  # a CSV group: say which file the line is in
                where = f"{f['file'].replace(chr(92), '/').rsplit('/', 1)[-1]} {where}"
            lines.append(f"  {where:<16} {severity:<13} {f['rule']:<26} {f['message']}")
    else:
        lines.append("  " + ui("text.clean", lang))
    standard = standard or newest_standard()  # the store's: records are kept in the newest version
    for c in conflicts:
        other = c.other_submission_id if c.submission_id == submission.id else c.submission_id
        mine = c.submission_id == submission.id  # the differences read from this submission's side
        office, other_office = (c.office, c.other_office) if mine else (c.other_office, c.office)
        shown = c.differences if mine else tuple((f, o, v) for f, v, o in c.differences)
        differences = differences_text(standard, c.record, shown, office, other_office, lang)
        record = standard.sheet_of(c.record, lang)
        line = ui("history.conflict", lang, record=record, key=c.key, other=other, owner=c.owner or "?",
                  differences=differences)  # fmt: skip
        lines.append("  " + line)
    return "\n".join(lines)


def submission_json(
    submission: Submission, findings: list[dict[str, Any]], conflicts: list[Conflict], lang: str
) -> str:
    document = {
        **envelope(SUBMISSION_FORMAT, FORMAT_VERSION, lang),
        "submission": submission.as_dict(),
        "findings": findings,
        "conflicts": [c.as_dict() for c in conflicts],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
