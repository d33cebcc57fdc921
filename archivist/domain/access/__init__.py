"""Who may change things: API tokens for machines, staff accounts for people."""
