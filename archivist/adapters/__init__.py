"""One concrete implementation per domain port; each imports its client library on first use."""
