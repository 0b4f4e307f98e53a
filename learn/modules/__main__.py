"""`python -m learn.modules check [PATH]`."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
