import pytest
from django.template import Context, Template
from django.utils.translation import gettext_lazy

from portal.templatetags.form_tags import colon_after


@pytest.mark.parametrize(
    ("label", "line"),
    [
        ("In a few words", "In a few words: This field is required."),
        (
            "I have read how my report is used and agree.",
            "I have read how my report is used and agree. This field is required.",
        ),
        ("What kind of problem?", "What kind of problem? This field is required."),
        ("Ada apa…", "Ada apa… This field is required."),
        ("Note:", "Note: This field is required."),
        ("Photos (optional)", "Photos (optional): This field is required."),
    ],
)
def test_a_label_gets_a_colon_before_its_mistake_unless_it_ends_in_punctuation(label, line):
    template = Template("{% load form_tags %}{{ label }}{{ label|colon_after }} {{ error }}")
    context = Context({"label": label, "error": "This field is required."})
    assert template.render(context) == line


def test_a_lazily_translated_label_is_read_as_text():
    assert colon_after(gettext_lazy("What kind of problem?")) == ""
    assert colon_after(gettext_lazy("In a few words")) == ":"
