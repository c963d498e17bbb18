from . import roles as r


def roles(request):
    """Role flags for navigation: each user sees only what fits their role."""
    user = request.user
    return {
        "is_lead": r.is_lead(user),
        "is_researcher": r.is_researcher(user),
        "is_administrator": r.is_administrator(user),
    }
