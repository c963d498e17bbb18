"""Model permissions of each role, kept in step after every migrate.

The groups themselves are created by migration ``0002_roles``. Leads reach
answers through their memberships (object-level, in selectors), not through
model permissions, so they hold none here.
"""

from django.contrib.auth.models import Group, Permission

from bluelight.roles import ADMINISTRATOR, LEAD, RESEARCHER

ADMIN_APPS = ("survey", "assessments")
ADMIN_EXTRA = (("auth", "user"),)


def sync_role_permissions(**kwargs):
    groups = {g.name: g for g in Group.objects.filter(name__in=(LEAD, RESEARCHER, ADMINISTRATOR))}
    if len(groups) < 3:
        return
    admin_perms = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
    for app, model in ADMIN_EXTRA:
        admin_perms = admin_perms | Permission.objects.filter(
            content_type__app_label=app, content_type__model=model)
    groups[ADMINISTRATOR].permissions.set(admin_perms)
    groups[RESEARCHER].permissions.set(
        Permission.objects.filter(content_type__app_label__in=ADMIN_APPS,
                                  codename__startswith="view_"))
    groups[LEAD].permissions.clear()
