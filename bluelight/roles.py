"""The three roles of the product, as Django groups, and helpers to test them."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

LEAD = "Partnership lead"
RESEARCHER = "Researcher"
ADMINISTRATOR = "Administrator"
ROLES = (LEAD, RESEARCHER, ADMINISTRATOR)


def _groups(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_bluelight_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._bluelight_groups = cached
    return cached


def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_active and (
        user.is_superuser or ADMINISTRATOR in _groups(user)
    )


def is_researcher(user) -> bool:
    return user.is_authenticated and user.is_active and RESEARCHER in _groups(user)


def is_lead(user) -> bool:
    return user.is_authenticated and user.is_active and LEAD in _groups(user)


def can_research(user) -> bool:
    """Researchers and administrators see results across partnerships."""
    return is_researcher(user) or is_administrator(user)


def role_required(*checks):
    """View decorator: anonymous users go to the login page; other roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(check(request.user) for check in checks):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
