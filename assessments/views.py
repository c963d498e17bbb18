from django.shortcuts import render

from bluelight.roles import is_lead

from .selectors import memberships_for_lead


def home(request):
    """Tell each role what to do next."""
    context = {}
    if is_lead(request.user):
        context["memberships"] = memberships_for_lead(user=request.user)
    return render(request, "assessments/home.html", context)
