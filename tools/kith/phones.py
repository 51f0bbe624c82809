"""Phone numbers as people read them and as machines compare them.

Files keep numbers as written; `kith enrich` rewrites them as E.164 on
request. Everything else goes through here: the site and the CLI show a
number in international format (`+44 20 7946 0000`) when phonenumbers can
read it, and the import compares two numbers as E.164 when both can be read
and digit for digit when not, so two distinct numbers are never taken for
one. A number without a +country code is read in `region` (the plugin's
`default_region`); without a region it is only compared digit for digit.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def _read(text: str, region: str | None):
    """The number, or None when `text` is no complete number (once per text)."""
    import phonenumbers  # here: importing it costs every `kith` command a tenth of a second

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return number


# Formatting is cached like reading: a site shows each number on a card,
# in search and in a tel: link, and phonenumbers' formatting was 5% of kith's
# share of a build at 5,000 people.
@lru_cache(maxsize=65536)
def e164(text: str, region: str | None = None) -> str | None:
    """`+442079460000`, or None when `text` is no complete number."""
    import phonenumbers

    number = _read(text, region)
    if number is None:
        return None
    found = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.extension:
        found += f";ext={number.extension}"
    return found


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def same(a: str, b: str, region: str | None = None) -> bool:
    """One number written two ways. E.164 when both parse; else every digit."""
    first, second = e164(a, region), e164(b, region)
    if first is not None and second is not None:
        return first == second
    return bool(digits(a)) and digits(a) == digits(b)


@lru_cache(maxsize=65536)
def shown(text: str, region: str | None = None) -> str:
    """International format (`+44 20 7946 0000`), or `text` as written when
    it cannot be read as a complete number."""
    import phonenumbers

    number = _read(text, region)
    if number is None:
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def dial(text: str, region: str | None = None) -> str:
    """What a `tel:` link holds: E.164 when known, else the digits and `+`."""
    found = e164(text, region)
    if found is not None:
        return found
    return "".join(c for c in text if c.isdigit() or c == "+") or text
