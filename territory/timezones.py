"""Indonesia's three time zones, chosen by province code (the first two digits of any code)."""

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}

ZONE_LABELS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}


def timezone_for_code(code: str) -> str:
    """Return the IANA zone for a Kemendagri territory code such as `32.04.01.2001`."""
    province = code[:2]
    if province in _WIT_PROVINCES:
        return WIT
    if province in _WITA_PROVINCES:
        return WITA
    return WIB
