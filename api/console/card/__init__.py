"""The borrower card in the console: everything the bank holds on one borrower that staff may see, on one page."""
