from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("rounds/", views.round_list, name="list"),
    path("rounds/<int:round_id>/answers.csv", views.round_answers_download, name="answers_csv"),
    path("rounds/<int:round_id>/import/", views.round_import, name="import"),
]
