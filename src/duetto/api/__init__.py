"""The HTTP API: FastAPI routes over the studio operations, with accounts, roles and jobs."""
