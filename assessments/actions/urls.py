from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("partnerships/<int:partnership_id>/actions/", views.action_list, name="list"),
    path("partnerships/<int:partnership_id>/actions/new/", views.action_new, name="new"),
    path("partnerships/<int:partnership_id>/actions/<int:action_id>/", views.action_detail,
         name="detail"),
    path("partnerships/<int:partnership_id>/actions/<int:action_id>/notes/",
         views.action_note, name="note"),
    path("partnerships/<int:partnership_id>/actions/<int:action_id>/changes/",
         views.action_changes, name="changes"),
    path("rounds/<int:round_id>/actions/adopt/", views.action_adopt_view, name="adopt"),
]
