"""archive tasks."""

__all__: list = []
