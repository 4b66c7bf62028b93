from django.urls import path

from . import progress, views

urlpatterns = [
    path("", views.home, name="home"),
    path("progress/", progress.progress, name="progress"),
    path("restitutions/", views.restitution_list, name="restitution_list"),
    path("restitutions/start/", views.restitution_start, name="restitution_start"),
    path("restitutions/<int:year>/", views.restitution_detail, name="restitution_detail"),
    path("restitutions/<int:year>/pdf/", views.restitution_pdf, name="restitution_pdf"),
    path(
        "restitutions/<int:year>/pdf/drafts/<int:pk>/",
        views.restitution_draft_pdf,
        name="restitution_draft_pdf",
    ),
    path(
        "restitutions/<int:year>/pdf/drafts/<int:pk>/download/",
        views.restitution_draft_pdf_file,
        name="restitution_draft_pdf_file",
    ),
    path("restitutions/<int:year>/edit/", views.restitution_edit, name="restitution_edit"),
    path(
        "restitutions/<int:year>/versions/", views.restitution_versions, name="restitution_versions"
    ),
    path("restitutions/<int:year>/publish/", views.restitution_publish, name="restitution_publish"),
    # Before the files' pattern, which "report.css" would match too.
    path(
        "restitutions/<int:year>/versions/<int:number>/report.css",
        views.restitution_stylesheet,
        name="restitution_stylesheet",
    ),
    path(
        "restitutions/<int:year>/versions/<int:number>/<str:edition>.<str:format>",
        views.restitution_file,
        name="restitution_file",
    ),
]
