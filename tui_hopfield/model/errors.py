"""The model's error type."""


class ModelError(ValueError):
    """Raised for a request the model refuses; the message says why."""
