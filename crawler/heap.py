"""Keep the crawler's resident memory flat: both allocators otherwise keep what was freed.

Listing pages arrive as ~1 MB strings. glibc raises its mmap threshold after the first large
free, so later bodies land on the heap, which fragments and is never returned to the OS (measured:
RSS climbing from 440 MB at 50k models to 650 MB at 200k). A fixed 256 KiB threshold sends every
body to mmap, and each free hands the memory straight back.

DuckDB allocates through its own jemalloc, which keeps freed pages for a second before handing them
back (its `dirty_decay_ms` and `muzzy_decay_ms`: 1000). A merge chunk frees up to its 160 MB cap
when it ends, and with the three kinds crawled side by side the next chunk often starts within
that second: both were resident at once. Handing pages back at once took the full crawl's peak RSS
at 200k models from 350-357 MB to 297 MB (BENCHMARKS.md, 2026-12-02). DuckDB reads jemalloc's
settings from DUCKDB_JE_MALLOC_CONF only when it is imported; its `mallctl` changes them after.
"""

import ctypes
import ctypes.util
import logging

log = logging.getLogger("registry.crawler")

M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter number
THRESHOLD_BYTES = 256 * 1024
DECAY_SETTINGS = ("dirty_decay_ms", "muzzy_decay_ms")


def keep_heap_small() -> bool:
    """Pin glibc's mmap threshold, and have DuckDB's jemalloc hand freed pages back at once; False
    where there is no glibc (nothing to do there)."""
    return_freed_duckdb_pages_at_once()
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        return bool(ctypes.CDLL(name).mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


def return_freed_duckdb_pages_at_once() -> bool:
    """Set jemalloc's decay times to 0 in DuckDB's allocator, for its arenas and those it creates
    later; False where DuckDB is built without jemalloc (macOS, Windows: nothing to do there)."""
    try:
        import _duckdb

        mallctl = ctypes.CDLL(_duckdb.__file__).duckdb_je_mallctl
    except (ImportError, OSError, AttributeError):
        return False
    mallctl.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    arenas, size = ctypes.c_uint(), ctypes.c_size_t(ctypes.sizeof(ctypes.c_uint))
    if mallctl(b"arenas.narenas", ctypes.byref(arenas), ctypes.byref(size), None, 0) != 0:
        return False
    zero = ctypes.c_ssize_t(0)
    for setting in DECAY_SETTINGS:
        if mallctl(f"arenas.{setting}".encode(), None, None, ctypes.byref(zero), ctypes.sizeof(zero)) != 0:
            log.debug("DuckDB's allocator refused arenas.%s", setting)
            return False
        for arena in range(arenas.value):  # an arena not created yet refuses: it will take the default above
            mallctl(f"arena.{arena}.{setting}".encode(), None, None, ctypes.byref(zero), ctypes.sizeof(zero))
    return True
