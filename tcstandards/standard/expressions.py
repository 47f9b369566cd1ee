"""Rule expressions of the catalogue, evaluated on a whole table at once.

A rule of kind ``expression`` in ``rules.json`` says, as data, when a record
breaks it (``when``, or several ``cases`` each with the field it is reported
at) and which values its message shows (``show``), in the manner of the
validation rules of DHIS2 and the IATI rulesets.  This module is the small
generic engine that reads them; the grammar is the ``expression`` and
``condition`` definitions of ``schemas/meta/rules.schema.json``:

* a value: a field name (``"start_date"``), ``{"value": 0}``,
  ``{"parameter": "grace_days"}`` (the rule's own ``parameters``),
  ``{"context": "period_end"}`` (``period``, ``period_start``, ``period_end``,
  ``today``), ``{"attribute": {"codelist", "name", "of", "as"}}`` (an
  attribute of the code in a field), ``{"register": {"name", "of"}}`` (the
  project register: ``budget``, ``region``), and ``add``, ``subtract``,
  ``multiply``, ``sum`` (empty values skipped), ``abs``, ``percent`` (/ 100),
  ``days`` (a number of days);
* a condition: ``{"compare": [a, op, b]}`` with op in ``< <= > >= == !=``,
  ``{"in": [a, [codes] or {"parameter"}]}``, ``{"present": a}``,
  ``{"missing": field}`` (empty, and not a value that failed its type),
  ``all``, ``any`` and ``not``.

An empty value never breaks a rule: a comparison with an empty side is false.
pandas is imported by the callers; loading the standard does not need it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CONTEXT_NAMES = ("period", "period_start", "period_end", "today")
REGISTER_NAMES = ("budget", "region")
OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
# keys whose values are names, not expressions
_NAME_KEYS = frozenset({"value", "parameter", "context", "codelist", "name", "as"})


class RuleSpec(Protocol):
    """What the engine reads of a rule (:class:`tcstandards.standard.model.Rule` has it): the model
    imports this module's users lazily, so this module does not import the model."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> Mapping[str, str]: ...

    @property
    def parameters(self) -> Mapping[str, Any]: ...

    @property
    def expression(self) -> Mapping[str, Any]: ...


class Codelists(Protocol):
    """What the engine reads of the standard (the model's ``Standard``): its codelists."""

    def codelist(self, name: str) -> Any: ...


class Environment(Protocol):
    """What an expression can see: one table's typed columns, and what is known around it."""

    size: int

    def has(self, name: str) -> bool: ...

    def column(self, name: str) -> pd.Series: ...

    def missing(self, name: str) -> pd.Series: ...

    def context(self, name: str) -> Any: ...

    def lookup(self, name: str, codes: pd.Series) -> pd.Series:
        """The register's ``name`` of the project of each code (a register of projects, by code)."""
        ...


def fields_read(node: Any) -> Iterator[str]:
    """Every field name an expression, condition, case list or ``show`` mapping reads."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from fields_read(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "compare" and isinstance(value, list) and len(value) == 3:
                yield from fields_read([value[0], value[2]])
            elif key == "in" and isinstance(value, list) and value:
                yield from fields_read(value[0])
            elif key not in _NAME_KEYS:
                yield from fields_read(value)


def nodes(node: Any, key: str) -> Iterator[Any]:
    """Every value of ``key`` anywhere in an expression tree (``parameter``, ``context``...)."""
    if isinstance(node, list):
        for item in node:
            yield from nodes(item, key)
    elif isinstance(node, dict):
        for k, value in node.items():
            if k == key:
                yield value
            else:
                yield from nodes(value, key)


def needs_context(rule: RuleSpec) -> bool:
    """The rule reads the return's period, today's date or the register: it needs a return around it."""
    spec = rule.expression
    return any(True for _ in nodes(spec, "context")) or any(True for _ in nodes(spec, "register"))


@dataclass(frozen=True)
class Evaluation:
    """Records that break a rule: their positions and, for each, the field it is reported at."""

    positions: Any  # numpy array of int
    fields: list[str]


class Evaluator:
    """Evaluates one rule's expressions in one environment."""

    def __init__(self, rule: RuleSpec, standard: Codelists, env: Environment) -> None:
        self.rule = rule
        self.standard = standard
        self.env = env

    # --- values ---------------------------------------------------------------

    def value(self, node: Any) -> Any:
        if isinstance(node, str):
            return self.env.column(node)
        ((key, arg),) = node.items()
        if key == "value":
            return arg
        if key == "parameter":
            return self.rule.parameters[arg]
        if key == "context":
            return self.env.context(arg)
        if key == "attribute":
            return self._attribute(arg)
        if key == "register":
            return self._register(arg)
        if key in ("add", "multiply"):
            result = self.numeric(self.value(arg[0]))
            combine = operator.add if key == "add" else operator.mul
            for item in arg[1:]:
                result = combine(result, self.numeric(self.value(item)))
            return result
        if key == "subtract":
            return self.numeric(self.value(arg[0])) - self.numeric(self.value(arg[1]))
        if key == "sum":
            import pandas as pd

            parts = [self._series(self.numeric(self.value(item))) for item in arg]
            return pd.concat(parts, axis=1).sum(axis=1, min_count=1)
        if key == "abs":
            return abs(self.numeric(self.value(arg)))
        if key == "percent":
            return self.numeric(self.value(arg)) / 100
        if key == "days":
            import pandas as pd

            return pd.Timedelta(days=float(self.value(arg)))
        raise KeyError(key)

    def _attribute(self, spec: Mapping[str, Any]) -> pd.Series:
        import pandas as pd

        attribute = self.standard.codelist(spec["codelist"]).attribute(spec["name"])
        mapped = self._series(self.value(spec["of"])).map(attribute)
        if spec.get("as") == "date":
            return pd.to_datetime(mapped, errors="coerce")
        return mapped

    def _register(self, spec: Mapping[str, Any]) -> pd.Series:

        return self.env.lookup(spec["name"], self._series(self.value(spec["of"])))

    def _series(self, value: Any) -> pd.Series:
        import pandas as pd

        if isinstance(value, pd.Series):
            return value
        return pd.Series([value] * self.env.size, index=pd.RangeIndex(self.env.size), dtype=object)

    @staticmethod
    def numeric(value: Any) -> Any:
        """Numbers as floats (nullable integers and numbers in object columns included); dates as they are."""
        import pandas as pd

        if isinstance(value, pd.Series):
            if pd.api.types.is_datetime64_any_dtype(value) or pd.api.types.is_timedelta64_dtype(value):
                return value
            if pd.api.types.is_numeric_dtype(value) and not pd.api.types.is_bool_dtype(value):
                return value.astype(float)
            converted = pd.to_numeric(value, errors="coerce")
            if converted.notna().sum() == value.notna().sum():
                return converted.astype(float)
            return value
        return value

    # --- conditions -----------------------------------------------------------

    def condition(self, node: Mapping[str, Any]) -> np.ndarray:
        """The records that meet ``node``, as a boolean array (numpy: a rule's conditions combine many
        small columns, where each pandas operation would cost more than the values)."""
        import numpy as np

        ((key, arg),) = node.items()
        if key == "all":
            result = self.condition(arg[0])
            for item in arg[1:]:
                result = result & self.condition(item)
            return result
        if key == "any":
            result = self.condition(arg[0])
            for item in arg[1:]:
                result = result | self.condition(item)
            return result
        if key == "not":
            return ~self.condition(arg)
        if key == "present":
            return self._series(self.value(arg)).notna().to_numpy()
        if key == "missing":
            return np.asarray(self.env.missing(arg), dtype=bool)
        if key == "in":
            values = arg[1] if isinstance(arg[1], list) else self.value(arg[1])
            return self._series(self.value(arg[0])).isin(list(values)).to_numpy()
        if key == "compare":
            left, op, right = arg
            return self._compare(self.value(left), OPERATORS[op], self.value(right))
        raise KeyError(key)

    def _compare(self, left: Any, op: Callable[[Any, Any], Any], right: Any) -> np.ndarray:
        import numpy as np
        import pandas as pd

        if _is_empty_scalar(left) or _is_empty_scalar(right):
            return np.zeros(self.env.size, dtype=bool)
        if _is_number(left) or _is_number(right):
            left, right = self.numeric(left), self.numeric(right)
        given = np.ones(self.env.size, dtype=bool)
        sides = []
        for side in (left, right):
            if isinstance(side, pd.Series):
                given &= side.notna().to_numpy()
                side = _plain_array(side)
            sides.append(side)
        if any(isinstance(side, pd.Series) for side in sides):  # text: pandas compares it, empty or not
            result = pd.Series(op(left, right)).fillna(False).to_numpy(dtype=bool)
        else:
            result = np.asarray(op(sides[0], sides[1]), dtype=bool)
        return result & given

    # --- the rule -------------------------------------------------------------

    def cases(self) -> list[tuple[str, pd.Series]]:
        """(field reported at, records that break the case), a record taken by the first case it breaks."""
        import pandas as pd

        spec = self.rule.expression
        found: list[tuple[str, pd.Series]] = []
        taken = None
        for case in spec.get("cases") or [{"at": spec["at"], "when": spec["when"]}]:
            broken = self.condition(case["when"])
            if taken is not None:
                broken = broken & ~taken
                taken = taken | broken
            else:
                taken = broken
            found.append((self.at(case["at"]), pd.Series(broken, index=pd.RangeIndex(self.env.size))))
        return found

    def at(self, at: str | list[str]) -> str:
        """The field a finding is reported at; with a list, the first the table has."""
        if isinstance(at, str):
            return at
        return next((name for name in at if self.env.has(name)), at[0])

    def shown(self, broken: pd.Series) -> dict[str, Any]:
        """The message's values for the broken records: a sequence per value, or one value for all."""
        import pandas as pd

        params: dict[str, Any] = {}
        for name, node in (self.rule.expression.get("show") or {}).items():
            value = self.value(node)
            params[name] = value[broken] if isinstance(value, pd.Series) else value
        return params


def _plain_array(column: pd.Series) -> Any:
    """A column of numbers or dates as a numpy array (NaN, NaT where empty); other columns as they are."""
    import pandas as pd

    if pd.api.types.is_float_dtype(column) and not isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
        return column.to_numpy()
    if pd.api.types.is_datetime64_dtype(column) or pd.api.types.is_timedelta64_dtype(column):
        return column.to_numpy()
    return column


def _is_empty_scalar(value: Any) -> bool:
    import pandas as pd

    if isinstance(value, pd.Series):
        return False
    return value is None or bool(pd.isna(value))


def _is_number(value: Any) -> bool:
    import pandas as pd

    if isinstance(value, pd.Series):
        return pd.api.types.is_numeric_dtype(value) and not pd.api.types.is_bool_dtype(value)
    return isinstance(value, int | float) and not isinstance(value, bool)
