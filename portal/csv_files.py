"""CSV files a person opens in a spreadsheet, written the way their spreadsheet reads them.

Excel and LibreOffice split a CSV file on the list separator of the computer's regional
settings: a comma where the decimal mark is a point (English), a semicolon where the decimal
mark is a comma (Indonesian). A file in the other convention opens as one column of text. So a
download follows the language of the page it came from: in Indonesian, semicolons and decimal
commas; in English, commas and decimal points. The imports read both (`officers.spreadsheet`
guesses the separator). Programs read the API, not these files.
"""

import csv

from django.utils import translation

# The languages whose spreadsheets use a decimal comma and a semicolon between fields.
DECIMAL_COMMA = {"id"}
# A byte-order mark, so that Excel opens the file as UTF-8.
BOM = "\ufeff"


def _decimal_comma() -> bool:
    return (translation.get_language() or "").split("-")[0] in DECIMAL_COMMA


def writer(stream):
    """A csv writer with the separator of the active language's spreadsheets."""
    return csv.writer(stream, delimiter=";" if _decimal_comma() else ",")


def cell(value):
    """`value` as its cell: a fractional number with the active language's decimal mark, None
    as an empty cell, anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, float) and _decimal_comma():
        return repr(value).replace(".", ",")
    return value
