"""How the server's process gets memory, so that what a page frees can be
used again or go back to the system.

Streamlit runs each script run on a thread, and glibc's malloc gives threads
arenas of their own (up to eight per core), each keeping what was freed in
it; once a large block (a column of 100,000 cells is 800 KB) has been freed,
glibc raises its threshold for serving such blocks by mmap, so later ones
come from the arenas and stay there when freed too. pandas' text columns
and Streamlit's tables for the browser are Arrow buffers, from Arrow's own
pool (mimalloc), which keeps what is freed as well. Two arenas, the
threshold fixed at glibc's default and Arrow allocating through malloc
lowered the server's peak at 100,000 1:1s (benchmarks/memory.py,
docs/PERFORMANCE.md). The glibc settings do nothing elsewhere.
"""
from __future__ import annotations

import ctypes

import pyarrow

_M_MMAP_THRESHOLD = -3  # glibc's malloc.h; setting it also stops the threshold moving
_M_ARENA_MAX = -8


def keep_less_freed_memory() -> None:
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, Windows): nothing to set
        return
    mallopt(_M_ARENA_MAX, 2)
    mallopt(_M_MMAP_THRESHOLD, 128 * 1024)
