from django import template

from forums.markdown import render_markdown
from forums.selectors import sees_private_problems
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
    """`{% if problem|is_private_to:user %}`: show the reference only, never the title."""
    return problem.is_private and not sees_private_problems(user)
