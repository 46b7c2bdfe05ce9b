"""The example entries are inputs to the tournament, not test modules: never import them here."""

collect_ignore_glob = ["entries/*"]
