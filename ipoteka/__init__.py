"""The `ipoteka` command line: the one composition root that wires the packages together."""
