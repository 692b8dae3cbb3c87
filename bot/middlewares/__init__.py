"""Update middlewares: error boundary, flood control, borrower context and language."""
