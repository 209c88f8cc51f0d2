"""rehab."""

import os

# Settings for numpy, made before any rehab module loads it (a user's own setting is kept):
# - One BLAS thread. rehab never multiplies matrices, yet OpenBLAS starts a thread per extra
#   core when numpy loads, and each spins for about 0.1 s of CPU before it sleeps: on a 2-core
#   machine, a tenth of the CPU of importing a million-row log, taken from the parse.
# - No huge pages asked for numpy's big arrays. On a virtual machine a fresh 2 MB page can
#   cost the host a fault per 4 kB inside it: the million-row import's frame building took
#   0.09-0.39 s (system time 0.02-0.30 s) with them, 0.12-0.19 s without, and the whole
#   process's median was lower without (benchmarks, README "Speed and memory").
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
