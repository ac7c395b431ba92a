"""Ways in: the HTTP server, the worker and the CLI, all wired by bootstrap."""
