from django.contrib.admin.apps import AdminConfig


class BluelightAdminConfig(AdminConfig):
    default_site = "bluelight.admin.BluelightAdminSite"
