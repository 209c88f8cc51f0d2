"""``python -m rehab``: the command line."""

import sys

from rehab.cli import main

# The input CSV files are parsed on a background thread while the modules load.
sys.exit(main(early=True))
