from django.urls import path

from . import views

app_name = "kpis"

P = "partnerships/<int:partnership_id>/kpis/"

urlpatterns = [
    path(P, views.kpi_list, name="list"),
    path(P + "new/", views.kpi_new, name="new"),
    path(P + "import/", views.values_import, name="import"),
    path(P + "values.<str:fmt>", views.values_export, name="export"),
    path(P + "<int:kpi_id>/", views.kpi_detail, name="detail"),
    path(P + "<int:kpi_id>/edit/", views.kpi_edit, name="edit"),
    path(P + "<int:kpi_id>/values/new/", views.value_record, name="record"),
    path(P + "<int:kpi_id>/values/<int:value_id>/correct/", views.value_correct,
         name="correct"),
]
