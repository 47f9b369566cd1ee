"""``python -m tcstandards.reference``: write (or ``--check``) the generated reference pages."""

import sys

from tcstandards.reference.pages import main

sys.exit(main())
