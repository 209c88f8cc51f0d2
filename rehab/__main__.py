"""``python -m rehab``: the command line."""

import atexit
import os
import sys
import threading

from rehab.cli import main

# The input CSV files are parsed on a background thread while the modules load.
code = main(early=True)
# Everything is written: flush the output, run the exit handlers (logging, pools), then
# skip the interpreter's teardown of every module and object (0.1 s once pandas is loaded).
# Any doubt (a failed flush, a thread still running) takes the ordinary exit.
try:
    sys.stdout.flush()
    sys.stderr.flush()
except (OSError, ValueError):
    sys.exit(code)
if all(t.daemon or t is threading.main_thread() for t in threading.enumerate()):
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
