"""Versions of the standard and the migrations between them.

Each version's ``standard.json`` lists the migrations that lead to it
(``migration-from-1.0.json``): the fields renamed per record type and the
codes added to codelists.  Values never change meaning in a migration, so a
return (or a consolidated record) moves to a newer version by renaming its
fields; the new codes only widen what is accepted.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass

from tcstandards.common.errors import StandardError, UsageError
from tcstandards.standard.loading import available_versions, schemas_root, version_key


@dataclass(frozen=True)
class Migration:
    source: str  # the version migrated from
    target: str
    description: Mapping[str, str]
    renames: tuple[tuple[str, str, str], ...]  # (record type, old field, new field)
    added_codes: tuple[tuple[str, str], ...]  # (codelist, code)

    def renamed(self, record: str) -> dict[str, str]:
        """Old field -> new field, for one record type."""
        return {old: new for kind, old, new in self.renames if kind == record}


@functools.cache
def migrations() -> tuple[Migration, ...]:
    """Every migration declared by the shipped versions, oldest first."""
    root = schemas_root()
    found = []
    for version in available_versions():
        manifest = json.loads(root.joinpath(version, "standard.json").read_text(encoding="utf-8"))
        for name in manifest.get("migrations", ()):
            data = json.loads(root.joinpath(version, name).read_text(encoding="utf-8"))
            if data.get("to") != version:
                raise StandardError(f"{version}/{name} migrates to {data.get('to')}, not {version}")
            found.append(
                Migration(
                    source=data["from"],
                    target=data["to"],
                    description=data.get("description", {}),
                    renames=tuple((r["record"], r["from"], r["to"]) for r in data.get("rename_fields", ())),
                    added_codes=tuple((c["codelist"], c["code"]) for c in data.get("add_codes", ())),
                )
            )
    return tuple(found)


def path(source: str, target: str) -> tuple[Migration, ...]:
    """The migrations that take ``source`` to ``target`` (none when they are equal).

    Raises UsageError when ``target`` is older or no declared chain leads there.
    """
    known = available_versions()
    for version in (source, target):
        if version not in known:
            raise UsageError(
                f"unknown version {version} (known: {', '.join(known)})",
                code="unknown-version",
                version=version,
                known=", ".join(known),
            )
    if version_key(target) < version_key(source):
        raise UsageError(
            f"cannot migrate back from {source} to {target}", code="downgrade", source=source, target=target
        )
    steps: list[Migration] = []
    current = source
    while current != target:
        step = next((m for m in migrations() if m.source == current), None)
        if step is None:
            raise UsageError(f"no migration is declared from {current}", code="no-migration", version=current)
        steps.append(step)
        current = step.target
    return tuple(steps)


def field_names(record: str, source: str, target: str) -> dict[str, str]:
    """Old field -> new field of ``record`` from ``source`` to ``target`` (renames composed)."""
    names: dict[str, str] = {}
    for step in path(source, target):
        renamed = step.renamed(record)
        names = {old: renamed.get(new, new) for old, new in names.items()}
        for old, new in renamed.items():
            names.setdefault(old, new)
    return {old: new for old, new in names.items() if old != new}
