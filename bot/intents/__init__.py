"""Free text understood: what a borrower's typed message asks for (its intent) and the values it already gives."""
