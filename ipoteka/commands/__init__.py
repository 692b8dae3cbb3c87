"""Sub-commands of the `ipoteka` CLI, one module each."""
