"""tcstandards: the TC Data Standard (TCDS) and the tools around it.

``tcstandards.load_standard("1.0")`` gives the standard as objects; its
``pandera_schema("projects")`` checks a pandas frame of project records
(docs/pandera.md).
"""

__version__ = "0.1.0"

from tcstandards.standard import load_standard

__all__ = ["__version__", "load_standard"]
