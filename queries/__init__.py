"""Analyses over the warehouse: SQL files named for the question they answer, run from Python."""
