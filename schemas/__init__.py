"""The TC Data Standard as data.

This folder is the single source of truth of the standard: JSON Schemas
(2020-12), codelists, the rule catalogue and its messages.  It is shipped
inside the wheel as the package ``tcstandards.schemas`` (this file only makes
it importable, so that ``importlib.resources`` finds it in every kind of
install).  Code reads it through :mod:`tcstandards.standard`.
"""
