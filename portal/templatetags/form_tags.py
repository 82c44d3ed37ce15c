"""What the forms' pages share."""

from django import template

register = template.Library()

# A label ending in one of these reads as finished: "…and agree." or "What kind of problem?".
ENDS_A_SENTENCE = (":", "?", "!", ".", "…")


@register.filter
def colon_after(label) -> str:
    """`<a …>{{ field.label }}</a>{{ field.label|colon_after }} {{ error }}`: the colon that
    joins a label to its mistake in an error summary, left out after a label that ends in
    punctuation already (as Django's `label_tag` leaves out its suffix): the consent box's
    label gave "…and agree.: Please agree…"."""
    return "" if str(label).rstrip().endswith(ENDS_A_SENTENCE) else ":"
