"""The public framework page."""

from django.shortcuts import render

from survey.models import Framework, Item

from .selectors import framework_items


def framework_page(request):
    """Public page explaining the current published framework."""
    framework = Framework.objects.current()
    context = {"framework": framework}
    if framework is not None:
        items = framework_items(framework=framework)
        options = [i for i in items if i.kind == Item.Kind.OPTION]
        context.update(
            enablers=[i for i in items if i.kind == Item.Kind.ENABLER],
            barriers=[i for i in items if i.kind == Item.Kind.BARRIER],
            themes=[
                (label, [i for i in items if i.is_factor and i.theme == value])
                for value, label in Item.Theme.choices
            ],
            levels=[
                (level, [o for o in options if o.published_level == level])
                for level in (1, 2, 3)
            ],
            scales={s.kind: s for s in framework.scales.all()},
        )
    return render(request, "survey/framework.html", context)
