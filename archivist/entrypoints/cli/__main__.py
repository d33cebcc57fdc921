"""`python -m archivist.entrypoints.cli`."""

from archivist.entrypoints.cli import main

main()
