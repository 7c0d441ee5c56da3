"""publication services (see protocols/services/__init__.py)."""
