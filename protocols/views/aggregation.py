"""aggregation pages."""

urlpatterns: list = []
