"""Hits and place hits become findings: a message in the user's language, the cell the user sees."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tcstandards.common.i18n import render
from tcstandards.common.values import display_value, format_param
from tcstandards.standard import Standard
from tcstandards.standard.rule_ids import AMBIGUOUS_DATE
from tcstandards.validation import coerce
from tcstandards.validation.findings import Finding, location_text, make_finding
from tcstandards.validation.tables import Hits, PlaceHit, Return, Table, per_hit

# a value that failed its type is one finding: rules on that field say nothing more about it
TYPE_RULES = frozenset({*coerce.TYPE_RULES.values(), AMBIGUOUS_DATE})


class FindingBuilder:
    """Turns hits into findings with messages in one language."""

    def __init__(self, standard: Standard, lang: str, result: Return) -> None:
        self.standard = standard
        self.lang = lang
        self.result = result
        self.findings: list[Finding] = []
        self.order = {name: i for i, name in enumerate(("cover", *standard.record_types))}

    def message(self, rule_id: str, params: dict[str, object]) -> str:
        rule = self.standard.rule(rule_id)
        return render(rule.template(self.lang), params)

    def table(self, name: str) -> Table | None:
        if name == "cover":
            return self.result.cover
        return self.result.tables.get(name)

    def add_hits(self, hits: Hits) -> None:
        """A finding for each record of ``hits`` (those whose value failed its type say nothing more)."""
        table = self.table(hits.table)
        if table is None:
            return
        rule = self.standard.rule(hits.rule)
        failed = set(table.failed.get(hits.field or "", ())) if hits.rule not in TYPE_RULES else set()
        positions = hits.positions.tolist()
        kept = [i for i, p in enumerate(positions) if p not in failed]
        shown = [display_value(v) for v in self._values(hits, table, positions, kept)]
        lists = {k: _as_list(v) for k, v in hits.params.items() if per_hit(v)}
        columns = {  # the message's values, a column each: one per record, or the same for all
            k: [format_param(lists[k][i], self.lang) for i in kept] if k in lists else None
            for k in hits.params
        }
        field = table.record.field(hits.field) if hits.field else None
        common: dict[str, object] = {
            "field": hits.field or "",
            "label": field.label(self.lang) if field else "",
        }
        common.update({k: format_param(v, self.lang) for k, v in hits.params.items() if columns[k] is None})
        per_record = {k: c for k, c in columns.items() if c is not None}
        firsts = per_record.get("first_position")  # duplicate keys: where the first record is
        template, file = rule.template(self.lang), table.place.file  # the same for all
        for j, i in enumerate(kept):
            params = {"value": shown[j], **common, **{k: c[j] for k, c in per_record.items()}}
            if firsts is not None:
                params["first"] = _where(table.locate(int(str(firsts[j])), hits.field))
            where = table.locate(positions[i], hits.field)
            self.findings.append(
                make_finding(
                    rule, self.lang, params, file=file, template=template,
                    record=table.name, field=hits.field, value=shown[j], **where,
                )
            )  # fmt: skip

    @staticmethod
    def _values(hits: Hits, table: Table, positions: list[int], kept: list[int]) -> list[object]:
        """The value shown for each kept record: the hits' own, else the cell's as it was read."""
        if per_hit(hits.value):
            given = _as_list(hits.value)
            return [given[i] for i in kept]
        if hits.value is not None:
            return [hits.value] * len(kept)
        raw = table.raw.get(hits.field) if hits.field else None
        return [raw[positions[i]] if raw is not None else None for i in kept]

    def add_place(self, hit: PlaceHit) -> None:
        rule = self.standard.rule(hit.rule)
        shown = display_value(hit.value) if hit.value is not None else None
        params = {k: format_param(v, self.lang) for k, v in hit.params.items()}
        params.setdefault("field", hit.field or "")
        params.setdefault("value", shown or "")
        self.findings.append(
            make_finding(
                rule,
                self.lang,
                params,
                file=hit.place.file,
                sheet=hit.place.sheet,
                row=hit.row,
                column=hit.column,
                pointer=hit.pointer if hit.pointer is not None else hit.place.pointer,  # JSON: array, object
                record=hit.record,
                field=hit.field,
                value=shown,
                line=hit.place.kind == "csv" and hit.row is not None,
            )
        )

    def sorted(self) -> tuple[Finding, ...]:
        def key(f: Finding) -> tuple[object, ...]:
            pointer = tuple(int(p) if p.isdigit() else 0 for p in (f.pointer or "").split("/")[2:3])
            record = self.order.get(f.record or "", -1)
            return (record, f.file, f.sheet or "", pointer, f.row or 0, f.column or 0, f.rule)

        return tuple(sorted(self.findings, key=key))


def _as_list(v: object) -> list[object]:
    if isinstance(v, pd.Series | pd.Index):
        return v.tolist()
    return list(v)  # type: ignore[call-overload]


def _where(location: dict[str, Any]) -> str:
    return location_text(**location)
