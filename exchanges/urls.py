from django.urls import path  # noqa: F401  (filled by the exchanges pages)

urlpatterns: list = []
