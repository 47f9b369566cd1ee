"""Hits and place hits become findings: a message in the user's language, the cell the user sees."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tcstandards.common.i18n import render, ui
from tcstandards.common.values import display_value, format_param
from tcstandards.standard import Rule, Standard
from tcstandards.standard.examples import HINTS, LABEL, SHEET, hint
from tcstandards.standard.examples import literal as _literal
from tcstandards.standard.rule_ids import (
    AMBIGUOUS_DATE,
    DATE_TEXT,
    JSON_STRUCTURE,
    NUMBER_TEXT,
    SHEET_UNKNOWN,
)
from tcstandards.validation import coerce
from tcstandards.validation.findings import Finding, location_text, make_finding
from tcstandards.validation.tables import Hits, PlaceHit, Return, Table, per_hit

AS_TYPED = frozenset({NUMBER_TEXT, DATE_TEXT})  # their message quotes the value as it was typed
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
        return render(rule.template(self.lang), params, self.lang)

    def template(self, rule: Rule, table: Table | None) -> str:
        """The rule's message in the language, with each ``{@field}`` as the user sees that field (its
        header in this file, else its label) and each ``{#record}`` as that record type's sheet."""
        text = rule.template(self.lang)
        if "{@" in text and table is not None:
            text = LABEL.sub(lambda m: _literal(table.seen_as(m[1], self.lang)), text)
        if "{#" in text:
            text = SHEET.sub(lambda m: _literal(self.sheet(m[1])), text)
        return text

    def sheet(self, record: str) -> str:
        """A record type's sheet as named in this return, else the standard's name in the language."""
        table = self.table(record)
        if table is not None and table.place.sheet:
            return table.place.sheet
        return self.standard.record_type(record).sheet_name(self.lang)

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
            "field": table.seen_as(hits.field, self.lang) if hits.field else "",
            "label": field.label(self.lang) if field else "",
        }
        common.update({k: format_param(v, self.lang) for k, v in hits.params.items() if columns[k] is None})
        if isinstance(common.get("values"), str):  # codes one of which is meant: "RBTC ou RBSA"
            common["values"] = str(common["values"]).replace(" / ", ui("list.or", self.lang))
        for name in {"other"} & set(common):  # a field named in a parameter: as the user sees it too
            if str(common[name]) in table.record.field_names:
                common[name] = table.seen_as(str(common[name]), self.lang)
        per_record = {k: c for k, c in columns.items() if c is not None}
        firsts = per_record.get("first_position")  # duplicate keys: where the first record is
        template, file = self.template(rule, table), table.place.file  # the same for all
        # a rule of the catalogue shows a number as the language writes it; the engine's, as it was typed
        numbers = self._numbers(hits, table, positions, kept) if rule.id not in AS_TYPED else None
        hinted = [name for name in HINTS if name in common or name in per_record]
        for j, i in enumerate(kept):
            value = numbers[j] if numbers is not None and numbers[j] == numbers[j] else shown[j]
            params = {"value": value, **common, **{k: c[j] for k, c in per_record.items()}}
            for name in hinted:  # a hint said only when there is something to say
                params[name] = hint(name, params[name], self.lang)
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
    def _numbers(hits: Hits, table: Table, positions: list[int], kept: list[int]) -> list[float] | None:
        """The typed value of each kept record when the field holds numbers (NaN where none), else None."""
        if hits.value is not None or not hits.field or hits.field not in table.frame:
            return None
        if table.record.field(hits.field).type not in ("money", "decimal", "pct", "int"):
            return None
        column, raw = table.frame[hits.field].to_numpy(), table.raw.get(hits.field)
        found = []
        for i in kept:
            typed = float(column[positions[i]])
            cell = raw[positions[i]] if raw is not None else None  # a number cell that failed (12.5 as int)
            usable = typed == typed or isinstance(cell, bool) or not isinstance(cell, int | float)
            found.append(typed if usable else float(cell))  # type: ignore[arg-type]
        return found

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
        table = self.table(hit.record) if hit.record else None
        if params.get("record") in self.standard.record_types:  # a record type: its sheet, as named here
            params["record"] = self.sheet(str(params["record"]))
        if "fields" in params and hit.record:  # field names: as the user sees them
            names = [n.strip() for n in str(params["fields"]).split(",") if n.strip()]
            params["fields"] = ", ".join(self._seen(table, hit.record, n) for n in names)
        if hit.rule == JSON_STRUCTURE:  # what the key should hold, in words
            params["expected"] = ui(f"json.{params.get('expected')}", self.lang)
        if hit.rule == SHEET_UNKNOWN:  # the sheets a return may have, as the language names them
            params["expected"] = ", ".join(r.sheet_name(self.lang) for r in self.standard.all_record_types())
        params.setdefault("field", self._seen(table, hit.record, hit.field))
        params.setdefault("label", self._label(hit.record, hit.field))
        params.setdefault("value", shown or "")
        self.findings.append(
            make_finding(
                rule,
                self.lang,
                params,
                template=self.template(rule, table),
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

    def _label(self, record: str | None, field: str | None) -> str:
        """The standard's label of a field in the language (a renamed column: what it is now called)."""
        return self.standard.label_of(record, field, self.lang) if record and field else ""

    def _seen(self, table: Table | None, record: str | None, field: str | None) -> str:
        if not field:
            return ""
        if table is not None:
            return table.seen_as(field, self.lang)
        return self.standard.label_of(record, field, self.lang) if record else field

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
