"""The public page "How the levels are worked out"."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from bluelight.roles import is_administrator

from .example import reason_meanings, worked_example
from .selectors import method_data, method_framework


@require_safe
def method_page(request, code: str | None = None, version: int | None = None):
    """The method with one framework version's thresholds, links and a worked example.

    ``/method/`` shows the current published version; ``/method/<code>/<version>/``
    any published or retired one (administrators may also preview a draft).
    """
    framework = method_framework(code=code, version=version,
                                 drafts=is_administrator(request.user))
    context = {"framework": framework}
    if framework is not None:
        data = method_data(framework=framework)
        context.update(data=data, t=framework, reasons=reason_meanings(),
                       share_min=f"{framework.support_share_min * 100:g}%",
                       example=worked_example(spec=data.spec, scales=data.scales))
    return render(request, "assessments/method/page.html", context)
