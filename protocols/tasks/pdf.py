"""pdf tasks."""

__all__: list = []
