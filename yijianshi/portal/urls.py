from django.urls import path

from yijianshi.portal import (
    views,
    views_cases,
    views_catalog,
    views_commitments,
    views_context,
    views_licenses,
    views_messages,
    views_reviews,
    views_wizard,
)

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views_catalog.search_page, name="search"),
    path("notices/", views.announcements, name="announcements"),
    path("notices/<int:pk>/", views.announcement, name="announcement"),
    path("life-events/<str:code>/", views_catalog.life_event_guide_page, name="life-event-guide"),
    path("life-events/<str:code>/guide.pdf", views_catalog.life_event_guide_pdf, name="life-event-guide-pdf"),
    path("life-events/<str:code>/form/", views_catalog.life_event_form_page, name="life-event-form"),
    path("life-events/<str:code>/form.pdf", views_catalog.life_event_form_pdf, name="life-event-form-pdf"),
    path("life-events/<str:code>/flow.svg", views_catalog.life_event_flow, name="life-event-flow"),
    path("life-events/<str:code>/wizard/", views_wizard.life_event_wizard, name="life-event-wizard"),
    path("life-events/<str:code>/apply/", views_cases.apply, name="apply"),
    path("my/cases/", views_cases.my_cases, name="my-cases"),
    path("my/cases/<uuid:case_id>/", views_cases.my_case, name="my-case"),
    path("my/cases/<uuid:case_id>/application/", views_cases.my_case_edit, name="my-case-edit"),
    path("my/cases/<uuid:case_id>/application/autosave", views_cases.my_case_autosave, name="my-case-autosave"),
    path("my/cases/<uuid:case_id>/application/upload", views_cases.my_case_upload, name="my-case-upload"),
    path("my/cases/<uuid:case_id>/confirm/", views_cases.my_case_confirm, name="my-case-confirm"),
    path("my/cases/<uuid:case_id>/receipt/", views_cases.my_case_receipt, name="my-case-receipt"),
    path("my/cases/<uuid:case_id>/deferred/<slug:key>/", views_commitments.my_case_supply, name="my-case-supply"),
    path("my/cases/<uuid:case_id>/review/", views_reviews.my_case_review, name="my-case-review"),
    path("my/licenses/", views_licenses.my_licenses, name="my-licenses"),
    path("my/licenses/<uuid:license_id>/pdf", views_licenses.my_license_pdf, name="my-license-pdf"),
    path("my/data/", views_licenses.my_data, name="my-data"),
    path("my/messages/", views_messages.my_messages, name="my-messages"),
    path("my/context/", views_context.context_switch, name="context-switch"),
    path("verify/", views_licenses.verify_form, name="verify-form"),
    path("verify/<str:identifier>", views_licenses.verify_page, name="verify"),
    path("items/<str:code>/", views_catalog.item_guide_page, name="item-guide"),
    path("items/<str:code>/guide.pdf", views_catalog.item_guide_pdf, name="item-guide-pdf"),
    path(
        "items/<str:code>/materials/<str:key>/<str:kind>/",
        views_catalog.material_file,
        name="material-file",
    ),
]
