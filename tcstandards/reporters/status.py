"""Output of ``status``: the office x quarter matrix as text, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from tcstandards.common.i18n import ui
from tcstandards.common.outputs import neutralise
from tcstandards.hq.conflicts import differences_text
from tcstandards.hq.status import STATES, Cell, Status, deadline
from tcstandards.hq.store import Conflict
from tcstandards.reporters.base import envelope
from tcstandards.standard import Standard, newest_standard

FORMAT = "tcstandards-status"
FORMAT_VERSION = 1
SYMBOLS = {"on-time": "ok", "late": "LATE", "quarantined": "QUAR", "missing": "--", "not-expected": ""}


def _rate(part: int, whole: int, lang: str = "en") -> str:
    """A percentage with one decimal, as the language writes it (100.0 % / 100,0 %)."""
    if not whole:
        return "-"
    from babel.numbers import format_decimal

    return f"{format_decimal(round(100 * part / whole, 1), '0.0', locale=lang)} %"


def status_text(
    status: Status,
    lang: str,
    offices: str = "all",
    conflicts: Sequence[Conflict] = (),
    standard: Standard | None = None,
) -> str:
    """Totals per quarter, then the matrix (``offices``: ``all`` rows, or only ``gaps``)."""
    if not status.periods:
        return ui("status.none", lang)
    lines = [ui("status.deadline", lang, days=status.deadline_days), ""]
    names = ["expected", "received", *STATES]
    labels = [ui(f"status.column.{n}", lang) for n in names] + [
        ui("status.column.completeness", lang),
        ui("status.column.timeliness", lang),
    ]
    period_width = max(len(ui("status.column.period", lang)), 7)
    widths = [max(len(label), 6) for label in labels]
    lines.append(
        ui("status.column.period", lang).ljust(period_width)
        + "  "
        + "  ".join(label.rjust(w) for label, w in zip(labels, widths, strict=True))
    )
    for period in status.periods:
        t = status.totals(period=period)
        values = [str(t[n]) for n in names]
        values += [_rate(t["complete"], t["expected"], lang), _rate(t["timely"], t["expected"], lang)]
        lines.append(
            period.ljust(period_width)
            + "  "
            + "  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True))
        )
    lines.append("")
    rows = [
        o
        for o in status.offices
        if offices == "all"
        or any(status.cells[(o, p)].state not in ("on-time", "not-expected") for p in status.periods)
    ]
    office_width = max([len(ui("status.column.office", lang)), *(len(o) for o in rows)])
    cell_width = max(8, *(len(v) for v in SYMBOLS.values()))  # "nil LATE"
    lines.append(
        ui("status.column.office", lang).ljust(office_width)
        + "  "
        + "  ".join(p.ljust(cell_width) for p in status.periods)
    )
    for office in rows:
        cells = [_symbol(status.cells[(office, p)]).ljust(cell_width) for p in status.periods]
        lines.append((office.ljust(office_width) + "  " + "  ".join(cells)).rstrip())
    lines.append("")
    lines.append(ui("status.legend", lang))
    if conflicts:
        lines += ["", ui("status.conflicts", lang, count=len(conflicts))]
        lines += ["  " + conflict_line(c, lang, standard or newest_standard()) for c in conflicts]
    return "\n".join(lines)


def _symbol(cell: Cell) -> str:
    """The cell's state (``nil`` for a nil return); ``*`` marks a return from a unit that had no
    obligation that quarter."""
    shown = SYMBOLS[cell.state]
    if cell.nil:
        shown = "nil" if cell.state == "on-time" else f"nil {shown}"
    return f"{shown}*" if shown and not cell.expected else shown


def conflict_line(conflict: Conflict, lang: str, standard: Standard) -> str:
    """One open conflict: where, between whom, and how the two lines differ."""
    c = conflict
    differences = differences_text(standard, c.record, c.differences, c.office, c.other_office, lang)
    record = standard.sheet_of(c.record, lang)
    return ui("status.conflict", lang, period=c.period, record=record, key=c.key, office=c.office,
              submission=c.submission_id, other_office=c.other_office, other_submission=c.other_submission_id,
              owner=c.owner or "?", differences=differences, file=c.file or "?",
              other_file=c.other_file or "?")  # fmt: skip


def status_json(status: Status, lang: str, conflicts: Sequence[Conflict] = ()) -> str:
    document = {
        **envelope(FORMAT, FORMAT_VERSION, lang),
        "deadline_days": status.deadline_days,
        "open_conflicts": [c.as_dict() for c in conflicts],
        "periods": [
            {
                "period": p,
                "deadline": deadline(p, status.deadline_days).strftime("%Y-%m-%dT%H:%M:%SZ"),
                **_keys(status.totals(period=p)),
            }
            for p in status.periods
        ],
        "offices": [
            {
                "office": o,
                "active": o in status.active,
                "obligation": _obligation(status, o),
                "totals": _keys(status.totals(office=o)),
                "quarters": {
                    p: {
                        "state": c.state,
                        "first_received": c.first_received,
                        "merged_received": c.merged_received,
                        "submissions": c.submissions,
                        "current_submission": c.current,
                        "nil": c.nil,
                    }
                    for p in status.periods
                    for c in [status.cells[(o, p)]]
                },
            }
            for o in status.offices
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _obligation(status: Status, office: str) -> dict[str, str | None] | None:
    found = status.obligations.get(office)
    return {"from": found.first, "until": found.last} if found else None


def _keys(totals: dict[str, int]) -> dict[str, int]:
    """JSON keys in snake_case (``on_time``), like every other key of the document."""
    return {k.replace("-", "_"): v for k, v in totals.items()}


def status_csv(status: Status) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "office",
            "period",
            "expected",
            "state",
            "first_received",
            "merged_received",
            "submissions",
            "current_submission",
            "deadline",
            "nil",
        ]
    )
    for period in status.periods:
        limit = deadline(period, status.deadline_days).strftime("%Y-%m-%dT%H:%M:%SZ")
        for office in status.offices:
            c = status.cells[(office, period)]
            writer.writerow(
                [
                    neutralise(v)
                    for v in (
                        office,
                        period,
                        "yes" if c.expected else "no",
                        c.state,
                        c.first_received or "",
                        c.merged_received or "",
                        c.submissions,
                        c.current or "",
                        limit,
                        "yes" if c.nil else "no",
                    )
                ]
            )
    return buffer.getvalue()
