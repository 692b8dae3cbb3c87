"""Payment holidays (353-FZ art. 6.1-1): the eligibility pre-check, applications sent once, proof and withdrawal."""
