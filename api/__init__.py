"""The loan-data backend: FastAPI app, SQLAlchemy models, domain services and the repayment engine."""
