"""Run the catalogue's rules on one return: expressions by the generic engine, the rest by name.

Rules of kind ``expression`` are evaluated from their ``rules.json`` entry
(:mod:`tcstandards.standard.expressions`); rules of kind ``implementation``
by the function registered under their id (:mod:`.implementations`,
:mod:`.crossquarter`).  :func:`check_implementations` holds the two sides
together: it fails, naming the entry, when an implementation has no entry,
an entry no implementation, or an implementation a role or parameter its
entry does not declare.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tcstandards.common.errors import StandardError
from tcstandards.standard import Rule, Standard
from tcstandards.standard.expressions import Environment, Evaluator
from tcstandards.validation import crossquarter as crossquarter  # registers the cross-quarter rules
from tcstandards.validation.implementations import (
    IMPLEMENTATIONS,
    PARAMETERS,
    RECIPIENT_CODES,
    ROLES,
    recipient_codes,
)
from tcstandards.validation.rule_context import Context, TableEnvironment, positions
from tcstandards.validation.tables import Hits

__all__ = ["Context", "check_implementations", "run_rules"]


_CHECKED: set[str] = set()


def check_implementations(standard: Standard) -> None:
    """Each ``implementation`` rule of the catalogue has its code, reading only what its entry declares."""
    if standard.version in _CHECKED:
        return
    where = f"schemas/{standard.version}/rules.json"
    declared = {rule.id: rule for rule in standard.rules.values() if rule.kind == "implementation"}
    for rule_id in sorted(set(IMPLEMENTATIONS) - set(declared)):
        kind = standard.rules[rule_id].kind if rule_id in standard.rules else None
        said = f"is of kind {kind!r}" if kind else "has no entry"
        raise StandardError(f"{where}: rule {rule_id!r} {said}, but the package implements it in code")
    for rule_id, rule in declared.items():
        if rule_id not in IMPLEMENTATIONS:
            raise StandardError(
                f"{where}: rule {rule_id!r} is of kind 'implementation', but no code implements it"
            )
        for role in ROLES[rule_id]:
            if role not in rule.roles:
                raise StandardError(
                    f"{where}: rule {rule_id!r} must name the field of its role {role!r} in 'roles'"
                )
        for name in PARAMETERS[rule_id]:
            if name not in rule.parameters:
                raise StandardError(
                    f"{where}: rule {rule_id!r} must give its parameter {name!r} in 'parameters'"
                )
    _CHECKED.add(standard.version)


def expression_hits(rule: Rule, standard: Standard, environment: Environment, table: str) -> Iterator[Hits]:
    """An expression rule on one table (of a return, or of a batch of them)."""
    evaluator = Evaluator(rule, standard, environment)
    for field, broken in evaluator.cases():
        if broken.any():
            yield Hits(rule.id, table, positions(broken), field, evaluator.shown(broken))


def _expression_hits(ctx: Context, rule: Rule) -> Iterator[Hits]:
    for record in rule.records:
        table = ctx.table(record)
        if table is not None:
            yield from expression_hits(rule, ctx.standard, TableEnvironment(table, ctx), table.name)


def run_rules(ctx: Context, done: Mapping[tuple[str, str], list[Hits]] | None = None) -> Iterator[Hits]:
    """The hits of the catalogue's rules on one return; ``done``: (rule id, table) -> hits found before."""
    check_implementations(ctx.standard)
    projects = ctx.table("projects")
    if projects is not None:
        codes = (done or {}).get((RECIPIENT_CODES, projects.name))
        yield from codes if codes is not None else recipient_codes(ctx, projects)
    for rule in ctx.standard.rules.values():
        if rule.kind not in ("expression", "implementation"):
            continue  # the engine's own
        tables = [table.name for record in rule.records if (table := ctx.table(record)) is not None]
        found: Iterator[Hits]
        if done and tables and all((rule.id, name) in done for name in tables):  # found with other returns
            found = (hits for name in tables for hits in done[(rule.id, name)])
        elif rule.kind == "expression":
            found = _expression_hits(ctx, rule)
        else:
            found = IMPLEMENTATIONS[rule.id](ctx, rule)
        for hits in found:
            if len(hits.positions):
                yield hits
