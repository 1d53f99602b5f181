"""SQL lives in .sql files beside this module; this reads them once."""

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"


@cache
def sql(name: str) -> str:
    """The text of warehouse/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text()
