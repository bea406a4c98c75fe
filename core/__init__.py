"""Core analysis engine: instruments, snapshots, analysis and the report model (no chat code)."""
