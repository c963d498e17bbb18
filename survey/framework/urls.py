from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [
    path("framework/", views.framework_page, name="page"),
    path("framework/<slug:code>/<int:version>/", views.framework_version_page, name="version"),
]
