"""archive pages."""

urlpatterns: list = []
