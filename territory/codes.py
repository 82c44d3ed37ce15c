"""Kemendagri desa codes as people type them."""


def dotted_code(code: str) -> str:
    """3204052001 (a spreadsheet that took the code for a number) as 32.04.05.2001."""
    digits = code.removesuffix(".0")
    if len(digits) == 10 and digits.isascii() and digits.isdigit():
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return code
