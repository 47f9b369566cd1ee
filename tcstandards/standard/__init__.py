"""The standard: its model, loading, versions and periods (the bottom of the layers, no pandas)."""

from tcstandards.standard.loading import (
    available_versions,
    latest_version,
    load_standard,
    newest_standard,
    schemas_root,
    stable_version,
    version_key,
)
from tcstandards.standard.model import (
    LANGUAGES,
    Codelist,
    Condition,
    Field,
    RecordType,
    Rule,
    Standard,
    normalize_label,
)
from tcstandards.standard.roles import Roles

__all__ = [
    "LANGUAGES",
    "Codelist",
    "Condition",
    "Field",
    "RecordType",
    "Roles",
    "Rule",
    "Standard",
    "available_versions",
    "latest_version",
    "load_standard",
    "newest_standard",
    "normalize_label",
    "schemas_root",
    "stable_version",
    "version_key",
]
