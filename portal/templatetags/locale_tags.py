"""Texts the portal wrote into records, read in the reader's language."""

from django import template

from portal.locale import in_reader_language as _in_reader_language

register = template.Library()


@register.filter
def in_reader_language(text: str) -> str:
    """`{{ event.note|in_reader_language }}`: see `portal.locale.in_reader_language`."""
    return _in_reader_language(text)
