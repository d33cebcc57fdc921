"""The Repository, TranscriptSearch and AccessStore ports on SQLAlchemy Core (SQLite or
PostgreSQL), one module per aggregate."""

from __future__ import annotations

from archivist.adapters.sql.access import SqlAccess
from archivist.adapters.sql.accuracy import SqlMeasures
from archivist.adapters.sql.audit import SqlAudit, SqlVocabulary
from archivist.adapters.sql.catalogue import Catalogue
from archivist.adapters.sql.jobs import Jobs
from archivist.adapters.sql.probe import DatabaseProbe
from archivist.adapters.sql.publications import Publications
from archivist.adapters.sql.recordings import Recordings
from archivist.adapters.sql.revisions import SqlRevisions
from archivist.adapters.sql.search import SqlSearch
from archivist.adapters.sql.transcripts import Transcripts

__all__ = ["DatabaseProbe", "SqlAccess", "SqlAudit", "SqlMeasures", "SqlRepository", "SqlRevisions", "SqlSearch",
           "SqlVocabulary"]


class SqlRepository(Recordings, Jobs, Transcripts, Publications, Catalogue):
    """Recordings, jobs, transcripts and publications in the database; each call is one transaction.

    The schema is checked on first use (an empty database is migrated), never when the
    repository is built.
    """
