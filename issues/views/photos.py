import mimetypes

from django.http import FileResponse
from django.views.decorators.http import require_GET

from issues import selectors
from issues.views.common import tracked_ids


@require_GET
def photo(request, photo_id: int, small: bool = False):
    """Photos are never served as static files: each request checks who may see the
    problem (404 otherwise). `small`: the thumbnail that lists show, where there is one."""
    photo = selectors.photo_visible_or_404(
        request.user, photo_id, tracked_problem_ids=tracked_ids(request)
    )
    file = photo.thumbnail if small and photo.thumbnail else photo.image
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), content_type=content_type)
    # Shared caches may keep only what anyone may see.
    public = photo.is_public and photo.problem.is_public
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response
