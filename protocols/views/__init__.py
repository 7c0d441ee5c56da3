"""Protocol pages, one module per area (see protocols/urls.py)."""
