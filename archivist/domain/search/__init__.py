"""Finding what was said: caption-sized passages, queries as staff type them, the second spoken."""
