"""The clinic workspace: one embedded database file of imports, logs and reviews (issue 11)."""
