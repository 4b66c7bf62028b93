from django.urls import path

from . import change_views as views

urlpatterns = [
    path("", views.change_list, name="change_list"),
    path("new/", views.change_create, name="change_create"),
    path("<int:pk>/", views.change_detail, name="change_detail"),
    path("<int:pk>/edit/", views.change_edit, name="change_edit"),
    path("<int:pk>/delete/", views.change_delete, name="change_delete"),
    path("<int:pk>/evidence/", views.change_evidence, name="change_evidence"),
]
