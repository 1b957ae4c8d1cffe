"""A place's (an agency's or the hub's) address read once into what every format prints, split only where
the data makes the split plain. The directory CSV, HSDS and the pages' JSON-LD read it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .guide import Guide

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_POSTAL = re.compile(r"^〒?\s*(\d{3})-?(\d{4})\s*")


def half_width_digits(text: str) -> str:
    return text.translate(_DIGITS)


@dataclass(frozen=True)
class Address:
    """A place's address as the data writes it, split only where the data makes the split plain:
    a leading 〒 postal code, and the city's own name at the start. Nothing is looked up."""

    text: str  # as written, without the postal code, digits half-width
    postal_code: str | None
    prefecture: str | None  # site.yml's prefecture, where the address is in the city
    city: str | None  # the city's name, where the address starts with it
    rest: str  # after the city's name (or the whole text)

    @property
    def full(self) -> str:
        """所在地_連結表記: the prefecture first where the data gives it."""
        return (self.prefecture or "") + self.text if self.city else self.text


def address_of(guide: Guide, text: str | None) -> Address | None:
    if not text:
        return None
    text = half_width_digits(text).strip()
    postal = None
    found = _POSTAL.match(text)
    if found:
        postal, text = f"{found[1]}-{found[2]}", text[found.end():]
    city = guide.site.city if text.startswith(guide.site.city) else None
    rest = text[len(city):].strip() if city else text
    return Address(text, postal, guide.site.prefecture if city else None, city, rest)
