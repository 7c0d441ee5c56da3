"""pdf pages."""

urlpatterns: list = []
