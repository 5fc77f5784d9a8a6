from django.urls import path

from yijianshi.workbench import views, views_commitments, views_tasks, views_window

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("window/", views_window.queue, name="window"),
    path("window/new/", views_window.walk_in, name="walk-in"),
    path("window/applications/<uuid:case_id>/", views_window.application, name="application"),
    path("cases/<uuid:case_id>/", views_window.case_page, name="case"),
    path("cases/<uuid:case_id>/decide/", views_window.case_decide, name="case-decide"),
    path("cases/<uuid:case_id>/hand-out/", views_window.case_hand_out, name="case-hand-out"),
    path("cases/<uuid:case_id>/deferred/<slug:key>/check/", views_commitments.deferral_check, name="deferral-check"),
    path("window/deferrals/", views_commitments.deferral_register, name="deferrals"),
    path("post-checks/", views_commitments.post_check_queue, name="post-checks"),
    path("post-checks/<int:check_id>/record/", views_commitments.post_check_record, name="post-check-record"),
    path("tasks/", views_tasks.inbox, name="tasks"),
    path("tasks/<uuid:task_id>/", views_tasks.task_page, name="task"),
    path("tasks/<uuid:task_id>/act/", views_tasks.task_act, name="task-act"),
]
