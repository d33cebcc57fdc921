"""The REST API under /api/v1: one module per resource, each with its own blueprint, served by
its own APIFlask app built on the first request (app.py lists the modules)."""
