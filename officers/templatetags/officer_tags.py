"""What the pages do with an officer's contact details."""

import re

from django import template

register = template.Library()

# An Indonesian mobile number (08…, +628… or 628…), whatever the spaces, dashes, dots and
# brackets it was typed with; a landline (021 …) has no WhatsApp link.
MOBILE = re.compile(r"(?:\+?62|0)(8\d{7,11})")
SEPARATORS = re.compile(r"[\s\-.()]")


@register.filter
def whatsapp_url(phone: str) -> str:
    """The WhatsApp chat link of a mobile number, or "" for anything else: most residents
    reach their Bhabinkamtibmas by WhatsApp rather than by a call."""
    match = MOBILE.fullmatch(SEPARATORS.sub("", phone or ""))
    return f"https://wa.me/62{match[1]}" if match else ""
