"""The crawler: the only code that speaks HTTP to the Hub."""
