"""The standard: its model, loading, versions and periods (the bottom of the layers, no pandas)."""

from tcstandards.standard.model import (
    LANGUAGES,
    Codelist,
    Condition,
    Field,
    RecordType,
    Rule,
    Standard,
    available_versions,
    latest_version,
    load_standard,
    normalize_label,
    schemas_root,
    stable_version,
    version_key,
)

__all__ = [
    "LANGUAGES",
    "Codelist",
    "Condition",
    "Field",
    "RecordType",
    "Rule",
    "Standard",
    "available_versions",
    "latest_version",
    "load_standard",
    "normalize_label",
    "schemas_root",
    "stable_version",
    "version_key",
]
