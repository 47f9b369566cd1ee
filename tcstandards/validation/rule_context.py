"""What a rule sees of one return: its tables, its period, today, the register and the history."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tcstandards.standard import Standard
from tcstandards.validation.checks import missing
from tcstandards.validation.register import Register, parse_recipients
from tcstandards.validation.tables import Table


@dataclass
class Context:
    standard: Standard
    cover: Table | None
    tables: dict[str, Table]
    period: str | None
    period_start: pd.Timestamp | None
    period_end: pd.Timestamp | None
    today: pd.Timestamp
    make_register: Callable[[], Register]  # made when a rule first asks (often none does: batch.py)
    projects_recipients: pd.Series  # the Projects' recipient countries as written
    history: pd.DataFrame | None = None  # earlier finance lines from the store (crossquarter.py)

    @functools.cached_property
    def register(self) -> Register:
        """The register the return's lines resolve against."""
        return self.make_register()

    @functools.cached_property
    def recipients(self) -> pd.DataFrame:
        """The Projects' recipient countries, parsed once (``register.parse_recipients``)."""
        return parse_recipients(self.projects_recipients)

    def table(self, name: str) -> Table | None:
        """A table with records (the Cover as a one-record table), or None."""
        if name == self.standard.cover.name:
            return self.cover
        table = self.tables.get(name)
        return table if table is not None and len(table) else None


class TableEnvironment:
    """A table of a return as rule expressions see it (``expressions.Environment`` of the standard)."""

    def __init__(self, table: Table, ctx: Context) -> None:
        self.table = table
        self.ctx = ctx
        self.size = len(table)

    def has(self, name: str) -> bool:
        return self.table.has(name)

    def column(self, name: str) -> pd.Series:
        return self.table.col(name)

    def missing(self, name: str) -> pd.Series:
        return missing(self.table, name)

    def context(self, name: str) -> Any:
        return getattr(self.ctx, name)

    def lookup(self, name: str, codes: pd.Series) -> pd.Series:
        return self.ctx.register.lookup(name, codes)


def positions(mask: pd.Series) -> np.ndarray:
    return np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
