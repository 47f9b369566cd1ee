"""tcstandards: the TC Data Standard (TCDS) and the tools around it."""

__version__ = "0.1.0"
