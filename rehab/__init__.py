"""rehab."""

import os

# rehab never multiplies matrices, yet numpy's OpenBLAS starts a thread per extra core when
# numpy loads, and each spins for about 0.1 s of CPU before it sleeps: on a 2-core machine
# that was a tenth of the CPU of importing a million-row log, taken from the parse. One BLAS
# thread, unless the user set their own; this runs before any rehab module loads numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
