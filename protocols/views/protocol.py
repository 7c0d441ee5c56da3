"""protocol pages."""

urlpatterns: list = []
