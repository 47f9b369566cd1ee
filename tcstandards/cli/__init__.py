"""The ``tcstandards`` command line: the ``main`` group and its commands.

Importing this package registers every command; it imports neither pandas
nor pandera (the commands import what they need when they run).
"""

from tcstandards.cli import hq, office, portal, store
from tcstandards.cli.app import VALIDATE_FORMATS, main

__all__ = ["VALIDATE_FORMATS", "hq", "main", "office", "portal", "store"]
