"""How the server's process gets memory from the C library.

Streamlit runs each script run on a thread, and glibc's malloc gives threads
arenas of their own (up to eight per core), each keeping what was freed in
it; and once a large block (a column of 100,000 cells is 800 KB) has been
freed, glibc raises its threshold for serving such blocks by mmap, so later
ones come from the arenas and stay there when freed too. With two arenas
and the threshold fixed at glibc's default, the server's peak at 100,000
1:1s was about 40 MB lower (benchmarks/memory.py, docs/PERFORMANCE.md).
Elsewhere than glibc this does nothing.
"""
from __future__ import annotations

import ctypes

_M_MMAP_THRESHOLD = -3  # glibc's malloc.h; setting it also stops the threshold moving
_M_ARENA_MAX = -8


def fewer_arenas_and_no_moving_threshold() -> None:
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (macOS, Windows): nothing to set
        return
    mallopt(_M_ARENA_MAX, 2)
    mallopt(_M_MMAP_THRESHOLD, 128 * 1024)
