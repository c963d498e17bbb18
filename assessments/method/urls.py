from django.urls import path

from . import views

app_name = "method"

urlpatterns = [
    path("method/", views.method_page, name="page"),
    path("method/<slug:code>/<int:version>/", views.method_page, name="version"),
]
