"""Files borrowers upload for review: type and size checks, and storing each file once."""
