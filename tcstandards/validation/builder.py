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
from tcstandards.validation.tables import Hits, PlaceHit, Return, Table

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
        table = self.table(hits.table)
        if table is None:
            return
        rule = self.standard.rule(hits.rule)
        template = rule.template(self.lang)  # once for all the hits
        failed = set(table.failed.get(hits.field or "", ())) if hits.rule not in TYPE_RULES else set()
        per_hit = {k: _as_list(v) for k, v in hits.params.items() if _is_sequence(v)}
        scalars = {k: format_param(v, self.lang) for k, v in hits.params.items() if k not in per_hit}
        values = _as_list(hits.value) if _is_sequence(hits.value) else None
        field = table.record.field(hits.field) if hits.field else None
        for i, pos in enumerate(hits.positions):
            p = int(pos)
            if p in failed:
                continue
            if values is not None:
                value = values[i]
            elif hits.value is not None:
                value = hits.value
            else:
                value = table.raw_value(p, hits.field)
            params: dict[str, object] = dict(scalars)
            for key, seq in per_hit.items():
                params[key] = format_param(seq[i], self.lang)
            if "first_position" in per_hit:
                first = table.locate(int(str(per_hit["first_position"][i])), hits.field)
                params["first"] = _where(first)
            shown = display_value(value)
            label = field.label(self.lang) if field else ""
            params.setdefault("field", hits.field or "")
            params.setdefault("label", label)
            params.setdefault("value", shown)
            location = table.locate(p, hits.field)
            where = {"record": table.name, "field": hits.field, "value": shown, **location}
            self.findings.append(
                make_finding(rule, self.lang, params, file=table.place.file, template=template, **where)
            )

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


def _is_sequence(v: object) -> bool:
    return isinstance(v, list | tuple | pd.Series | pd.Index) or hasattr(v, "__array__")


def _as_list(v: object) -> list[object]:
    if isinstance(v, pd.Series | pd.Index):
        return v.tolist()
    return list(v)  # type: ignore[call-overload]


def _where(location: dict[str, Any]) -> str:
    return location_text(**location)
