"""``python -m rehab``: the command line."""

import sys

from rehab.cli import main

sys.exit(main())
