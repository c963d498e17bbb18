from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [
    path("framework/", views.framework_page, name="page"),
]
