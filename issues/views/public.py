from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from issues import selectors
from issues.models import Problem


@require_GET
def public_problem(request, reference: str):
    """The public summary of a problem: no reporter, no description, only public notes."""
    try:
        problem = selectors.public_problems().get(reference=reference)
    except Problem.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "issues/public_detail.html",
        {
            "problem": problem,
            "photos": list(problem.photos.all()),
        },
    )
