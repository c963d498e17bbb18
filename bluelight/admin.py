from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .roles import is_administrator


class BluelightAdminSite(admin.AdminSite):
    """The admin site, for Administrators only (not every staff account)."""

    site_header = _("Blue Light Collaboration Readiness: administration")
    site_title = _("bluelight admin")
    index_title = _("Definitions, partnerships and people")

    def has_permission(self, request):
        return super().has_permission(request) and is_administrator(request.user)
