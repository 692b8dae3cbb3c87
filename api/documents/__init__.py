"""Files borrowers upload for review: what their bytes must be, size checks, and storing each file once."""
