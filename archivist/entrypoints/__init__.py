"""The ways in: the `archivist` command, the web app and the Celery worker."""
