"""Loading the bank's data: idempotent upserts over HTTP and the CSV first load."""
