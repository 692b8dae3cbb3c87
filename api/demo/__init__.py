"""Demo data: a fixed cast of borrowers whose loans and payments are laid out around a reference date."""
