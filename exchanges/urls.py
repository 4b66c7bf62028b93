from django.urls import path

from . import upload_views, views

urlpatterns = [
    path("", views.exchange_list, name="exchange_list"),
    path("export.csv", views.exchange_export, name="exchange_export"),
    path("new/", views.exchange_create, name="exchange_create"),
    path("to-write/", views.exchange_to_write, name="exchange_to_write"),
    path("<int:pk>/", views.exchange_detail, name="exchange_detail"),
    path("<int:pk>/edit/", views.exchange_edit, name="exchange_edit"),
    path("<int:pk>/delete/", views.exchange_delete, name="exchange_delete"),
    path(
        "<int:pk>/cross-views/<slug:territory>/",
        views.cross_view_edit,
        name="exchange_cross_view",
    ),
    path("<int:pk>/attachments/new/", views.attachment_create, name="exchange_attachment_create"),
    path(
        "<int:pk>/attachments/uploads/",
        upload_views.upload_create,
        name="exchange_upload_create",
    ),
    path("uploads/<uuid:session_id>/", upload_views.upload_piece, name="exchange_upload"),
    path(
        "uploads/<uuid:session_id>/finish/",
        upload_views.upload_finish,
        name="exchange_upload_finish",
    ),
    path("attachments/<int:pk>/", views.attachment_file, name="exchange_attachment"),
    path(
        "attachments/<int:pk>/thumbnail/",
        views.attachment_thumbnail,
        name="exchange_attachment_thumbnail",
    ),
    path("outbox/", views.outbox, name="exchange_outbox"),
    path("outbox/account/", views.outbox_account, name="exchange_outbox_account"),
    path(
        "attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="exchange_attachment_delete",
    ),
    path("establishments/new/", views.establishment_create, name="establishment_create"),
]
