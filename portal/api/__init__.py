"""What every app's API shares: the schema class that documents error responses, the scope-
aware permissions, and the URL tree under /api/v1/ (each app's endpoints live in its own
`api.py`)."""
