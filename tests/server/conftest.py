"""Fixtures for the server tests live in server_helpers.py (importable by the tests under a unique name)."""

from server_helpers import assistant, server, tiny_run  # noqa: F401  (pytest fixtures)
