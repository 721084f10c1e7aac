from django.urls import path

from . import document_views, views

app_name = "casework"

urlpatterns = [
    path("", views.case_queue, name="case_queue"),
    path("all/", views.case_queue, {"queue": "all"}, name="case_queue_all"),  # 全部: every state
    path("queue/<slug:queue>/", views.case_queue, name="case_queue_named"),
    # The same page under the list's own name, so {% url 'casework:case_queue' 'mine' %} works.
    path("queue/<slug:queue>/", views.case_queue, name="case_queue"),
    path("new/", views.case_create, name="case_create"),
    path("new/<slug:kind>/", views.case_create, name="case_create_kind"),
    path("new/<slug:kind>/applicant/", views.case_create_for_applicant, name="case_create_for_applicant"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/timeline/", views.case_timeline, name="case_timeline"),
    path("<int:pk>/actions/<slug:action>/", views.case_action, name="case_action"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/notes/all/", views.case_notes, name="case_notes"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/verdict/", views.document_verdict, name="document_verdict"),
    path("<int:pk>/documents/<int:document_pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/print/receipt/", document_views.case_receipt, name="case_receipt"),
    path(
        "<int:pk>/print/supplement/<int:sequence>/",
        document_views.case_supplement_notice,
        name="case_supplement_notice",
    ),
]
