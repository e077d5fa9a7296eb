"""Domain errors. The library raises these; only the front doors (CLI, HTTP API) turn them
into a one-line message or a JSON error."""


class MhqaError(Exception):
    """Base class for every error mhqa reports to a user."""


class ConfigError(MhqaError):
    """A setting is unknown, has the wrong type or an invalid value."""


class DataError(MhqaError):
    """Input data cannot be read or fails validation (names the file, row and column)."""


class ModelLoadError(MhqaError):
    """A base model, adapter or exported artifact cannot be found or loaded."""


class RunError(MhqaError):
    """A run folder is missing, incomplete or inconsistent."""


class ExportError(MhqaError):
    """An export format cannot be written."""
