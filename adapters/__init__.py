"""Implementations of the application's ports on real infrastructure."""
