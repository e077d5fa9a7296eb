"""Log configuration for `mhqa serve`: our content-free access log instead of uvicorn's."""

from __future__ import annotations


def log_config(level: str = "info") -> dict:
    """A logging dictConfig: uvicorn's own messages and mhqa.server's, one plain line each, to stderr.

    uvicorn's access log is replaced by :class:`mhqa.server.middleware.AccessLog`, which names the
    route template rather than the requested path, so a message put in a URL is never logged either.
    """
    lvl = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": lvl, "propagate": False},
            "uvicorn.error": {"level": lvl},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "mhqa": {"handlers": ["stderr"], "level": lvl, "propagate": False},
        },
    }
