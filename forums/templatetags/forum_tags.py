from django import template

from forums.markdown import render_markdown
from forums.selectors import title_withheld
from issues.models import VulnerableGroup

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """`{{ meeting.minutes|markdown }}`: rendered and sanitised (see forums.markdown)."""
    return render_markdown(text or "")


@register.filter
def vulnerable_label(group: str) -> str:
    """The label of a vulnerable group code (`youth` → "Youth")."""
    return str(dict(VulnerableGroup.choices).get(group, group))


@register.filter
def is_private_to(problem, user) -> bool:
    """`{% if problem|is_private_to:user %}`: show the reference only, never the title
    (forums.selectors.title_withheld)."""
    return title_withheld(problem, user)


@register.filter
def problem_url(problem, links) -> str:
    """`{{ problem|problem_url:problem_pages }}`: the page the user may open for the problem
    (see forums.selectors.ProblemPages), or "" for none; "" too where the view gave no links."""
    if not links or problem is None:
        return ""
    return links.url(problem)


@register.filter
def messages_for(messages, item) -> list:
    """`{% with failed=messages|messages_for:item %}`: the messages tagged with the action
    item's anchor (a failed status update), shown in its row. Reading them here does not take
    them from the page's list of messages."""
    return [m for m in messages or () if item.anchor in (m.extra_tags or "").split()]
