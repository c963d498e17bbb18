from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("rounds/<int:round_id>/progress/", views.round_progress_page, name="round"),
]
