from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    """A bare view for load balancers and the load benchmark's floor: no database."""
    return HttpResponse("ok", content_type="text/plain")
