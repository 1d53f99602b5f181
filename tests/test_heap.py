"""The crawler's allocator settings take effect (crawler/heap.py); what they save is measured in BENCHMARKS.md."""

import subprocess
import sys

# In a process of its own: the settings are process-wide. Prints DuckDB's jemalloc decay times (the
# default for new arenas, and arena 0's) before keep_heap_small, then both kinds after it.
SCRIPT = """
import ctypes, _duckdb, duckdb
from crawler.heap import keep_heap_small

mallctl = ctypes.CDLL(_duckdb.__file__).duckdb_je_mallctl
mallctl.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]

def setting(name):
    value, size = ctypes.c_ssize_t(), ctypes.c_size_t(ctypes.sizeof(ctypes.c_ssize_t))
    assert mallctl(name.encode(), ctypes.byref(value), ctypes.byref(size), None, 0) == 0, name
    return value.value

print([setting("arenas.dirty_decay_ms"), setting("arena.0.dirty_decay_ms")])
assert keep_heap_small()
duckdb.connect().execute("SELECT sum(range) FROM range(1000000)").fetchall()
print([setting(f"{scope}.{kind}_decay_ms") for scope in ("arenas", "arena.0") for kind in ("dirty", "muzzy")])
"""


def test_duckdb_hands_freed_pages_back_at_once_after_keep_heap_small():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[1000, 1000]", "[0, 0, 0, 0]"]
