"""The two GeoReport v2 formats, chosen by the URL's suffix: JSON and XML.

The same payload (lists of dicts) is rendered to both, so the field names cannot drift between
them. XML follows the spec's examples: a root element (`services`, `service_requests`, …), one
child per item, and lists inside an item wrapped in a plural element (`<formats><format>`).
"""

import xml.etree.ElementTree as ET

from django.http import HttpResponse, JsonResponse

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
# The spec asks for the declaration with encoding="UTF-8"; ElementTree would write it with
# single quotes and lower case.
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# The element of each item of a list-valued field.
LIST_ITEMS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def respond(fmt: str, payload, *, root: str, item: str | None = None, status: int = 200):
    """`payload` is a list of dicts rendered as `<root><item>…</item>…</root>`, or (when `item`
    is None) one dict rendered as `<root>…</root>`."""
    if fmt == "xml":
        element = ET.Element(root)
        if item is None:
            _fill(element, payload)
        else:
            for entry in payload:
                _fill(ET.SubElement(element, item), entry)
        body = XML_DECLARATION + ET.tostring(element, encoding="unicode")
        return HttpResponse(body, content_type=XML_CONTENT_TYPE, status=status)
    return JsonResponse(payload, safe=False, status=status, content_type=JSON_CONTENT_TYPE)


def error(fmt: str, status: int, description: str, **headers):
    """The spec's error format: `[{"code": 404, "description": "…"}]`, or
    `<errors><error><code>404</code><description>…</description></error></errors>`."""
    response = respond(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )
    for name, value in headers.items():
        response[name] = value
    return response


def _fill(element: ET.Element, data: dict) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            for entry in value:
                grandchild = ET.SubElement(child, LIST_ITEMS.get(key, "item"))
                if isinstance(entry, dict):
                    _fill(grandchild, entry)
                else:
                    grandchild.text = _text(entry)
        elif isinstance(value, dict):
            _fill(child, value)
        else:
            child.text = _text(value)


def _text(value) -> str:
    # JSON's null is an empty element in the spec's XML examples.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
