"""The DuckDB warehouse: schema, page staging, merges and the run log. Never makes an HTTP call."""
