from django.urls import path

from . import views

urlpatterns = [
    path("questionings/", views.questionings, name="questionings"),
]
