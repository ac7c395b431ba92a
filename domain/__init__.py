"""Pure domain model: aggregates whose events are the system of record."""
