from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Partnerships and assessments")

    def ready(self):
        from .access import sync_role_permissions

        post_migrate.connect(sync_role_permissions, sender=self,
                             dispatch_uid="assessments.sync_role_permissions")
