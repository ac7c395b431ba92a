"""The Falcon application of the REST contract."""
