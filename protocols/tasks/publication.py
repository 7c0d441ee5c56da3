"""publication tasks."""

__all__: list = []
