"""`mhqa serve`: an OpenAI-compatible HTTP API and a web chat page in front of the Assistant.

A front door, not a library: nothing else in mhqa imports this package.
"""

from mhqa.server.app import create_app
from mhqa.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
