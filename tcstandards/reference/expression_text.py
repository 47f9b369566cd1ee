"""Rule expressions of the catalogue, written for people (docs/rules.md)."""

from __future__ import annotations

import json
from typing import Any

INFIX = {"add": " + ", "subtract": " - ", "multiply": " x "}


def describe(node: Any) -> str:
    """``{"compare": ["start_date", ">", "end_date"]}`` -> ``start_date > end_date``."""
    if isinstance(node, str):
        return node
    ((key, arg),) = node.items()
    if key == "value":
        return json.dumps(arg)
    if key in ("parameter", "context"):
        return arg if key == "parameter" else f"the return's {arg}"
    if key == "attribute":
        return f"{arg['name']} of {describe(arg['of'])} ({arg['codelist']})"
    if key == "register":
        return f"{arg['name']} of {describe(arg['of'])} (register)"
    if key in INFIX:
        return "(" + INFIX[key].join(describe(a) for a in arg) + ")"
    if key == "sum":
        return "sum(" + ", ".join(describe(a) for a in arg) + ")"
    if key == "abs":
        return f"|{describe(arg)}|"
    if key == "percent":
        return f"{describe(arg)} %"
    if key == "days":
        return f"{describe(arg)} days"
    if key in ("all", "any"):
        return (" and " if key == "all" else " or ").join(describe(a) for a in arg)
    if key == "not":
        return f"not ({describe(arg)})"
    if key == "present":
        return f"{describe(arg)} is given"
    if key == "missing":
        return f"{arg} is empty"
    if key == "in":
        values = arg[1] if isinstance(arg[1], str | dict) else "(" + ", ".join(arg[1]) + ")"
        return f"{describe(arg[0])} in {describe(values) if isinstance(values, dict) else values}"
    if key == "compare":
        return f"{describe(arg[0])} {arg[1]} {describe(arg[2])}"
    raise KeyError(key)
