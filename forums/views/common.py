from django.core.exceptions import ValidationError
from django.http import Http404

from forums import selectors

PAGE_SIZE = 20


def require(allowed: bool) -> None:
    """Outside what the user may do on this forum: 404, as for anything outside their scope."""
    if not allowed:
        raise Http404


def form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def manageable_forum_or_404(user, pk: int):
    forum = selectors.forum_for_user_or_404(user, pk)
    require(selectors.can_manage(user, forum))
    return forum
