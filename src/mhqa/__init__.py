"""mhqa: turn a small mental-health FAQ into a safe, fast support assistant."""

__version__ = "0.1.0"
