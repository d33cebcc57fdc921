"""Review and correction: transcript revisions, applying one to every output, sign-off,
the audit log and learned vocabulary."""
