"""The attacks of SPEC §7 (placeholder docstring, written at the end)."""
