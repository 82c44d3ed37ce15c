from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from forums import selectors as forum_selectors
from issues import selectors as issue_selectors
from territory import selectors
from territory.models import Village

PAGE_SIZE = 20


@require_GET
def village_search(request):
    query = request.GET.get("q", "").strip()[:100]
    villages = selectors.village_search(query=query)
    page = Paginator(villages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "territory/village_search.html",
        {
            "query": query,
            "page_obj": page,
            "too_short": 0 < len(query) < selectors.SEARCH_MIN_LENGTH,
            # Residents pick their own desa straight from the results.
            "choose_village": request.user.is_authenticated
            and request.user.role == User.Role.RESIDENT,
        },
    )


@require_GET
def village_detail(request, code: str):
    """A desa's public page: where it is, its Polsek and its Bhabinkamtibmas."""
    try:
        village = selectors.village_public(code=code)
    except Village.DoesNotExist:
        raise Http404 from None
    problems = issue_selectors.public_problems(village=village).order_by("-created_at")
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "territory/village_detail.html",
        {
            "village": village,
            "problems": page.object_list,
            "page_obj": page,
            "village_forums": forum_selectors.forums_for_village_page(village, user=request.user),
        },
    )
