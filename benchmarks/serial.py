"""Run the ``pipeline`` command line in one process, for profiling.

cProfile sees only the process it runs in, and the pipeline spreads ``update`` and
``build`` over a process pool sized by ``os.cpu_count()``.  Here that reports 1,
so all the work stays in the profiled process::

    python -m cProfile -o out.prof benchmarks/serial.py -C PROJECT build
"""

import os
import sys

os.cpu_count = lambda: 1  # noqa: E731 - the pool size the pipeline asks for

from pipeline.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "pipeline"
    main(sys.argv[1:])
