"""Amounts in pounds as people type them: "£216,000", "216k", "1.2m".

One reading for the scope finder's value everywhere it is typed (``svbot scope
--value``, the chat, the Slack form, ``--from-scope``) and for the value read
from a checklist's free text. A figure that could be read two ways is refused,
never guessed: "1,2m" is £1.2m where a comma is the decimal mark and £12m where it
separates thousands; "216.000" is £216 or £216,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from bot.render import Renderer

# A number as typed: digits, commas and points in any order (each reading is checked below).
NUMBER = r"\d[\d,.]*"
# Exact decimals: in floating point 4.1 * 1e6 is 4,099,999.9999999995, which would show pence.
THOUSAND, MILLION, BILLION = Decimal(10**3), Decimal(10**6), Decimal(10**9)
SCALES = {
    "": Decimal(1),
    "k": THOUSAND,
    "thousand": THOUSAND,
    "m": MILLION,
    "million": MILLION,
    "bn": BILLION,
    "billion": BILLION,
}
PENNY = Decimal("0.01")
# More than any public contract (the largest are tens of billions): a slip of the keyboard, refused
# rather than compared; it also keeps every amount exact to the penny as a float.
MOST = Decimal(10**12)
# A figure inside a sentence ("about £14m over 4 years", "what if it was 100k?").
_FIGURE = re.compile(rf"(£\s*)?({NUMBER})\s*(k|m|bn|million|thousand|billion)?\b", re.IGNORECASE)
_WHOLE = re.compile(rf"^£?\s*({NUMBER})\s*(k|m|bn|million|thousand|billion)?$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,200,000 or 1,200.50
_PLAIN = re.compile(r"^\d+(\.\d+)?$")  # 1200000 or 1.2
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")  # 1,2 or 12,00: not a thousands separator
# 1.200,50 or 1.200.000: points between thousands (and a decimal comma), as written in much of Europe.
_CONTINENTAL = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$|^\d{1,3}(\.\d{3}){2,}$")


class AmountError(ValueError):
    """A value that is not an amount in pounds, or that could be read two ways; the message says how to write it."""


@cache
def _renderer() -> Renderer:
    return Renderer()


def _say(reason: str, text: str, **context: object) -> str:
    return _renderer().render("scope/amount.txt.j2", reason=reason, text=text.strip(), **context)


def _money(amount: Decimal) -> str:
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def _pounds(digits: str, factor: Decimal, text: str) -> float:
    """``digits`` times ``factor`` to the nearest penny, worked out exactly (a half penny rounds up).

    AmountError for more than ``MOST``.
    """
    amount = Decimal(digits) * factor
    if amount > MOST:
        raise AmountError(_say("too-large", text, most=_money(MOST)))
    return float(amount.quantize(PENNY, rounding=ROUND_HALF_UP))


def read_number(digits: str, scale: str, text: str) -> float:
    """``digits`` times ``scale`` ("1.2", "m" -> 1,200,000); AmountError if it is not one number or is two.

    Commas separate thousands only in groups of three. A comma anywhere else ("1,2m",
    "12,00"), commas in front of a scale ("1,500k"), or a point before exactly three
    digits ("216.000") read one way in the UK and another where the comma is the
    decimal mark, so they are refused with both readings. Points between thousands
    ("1.200,50", "1.200.000") have only the continental reading: refused, naming it.
    """
    factor = SCALES[scale.lower()]

    def two_ways(one: str, other: str) -> AmountError:
        readings = (_money(Decimal(one) * factor), _money(Decimal(other) * factor))
        return AmountError(_say("ambiguous", text, one=readings[0], other=readings[1]))

    if _PLAIN.match(digits):
        whole, _, decimals = digits.partition(".")
        if len(decimals) == 3 and not scale:
            raise two_ways(digits, whole + decimals)
        return _pounds(digits, factor, text)
    if _THOUSANDS.match(digits):
        if scale and "." not in digits:
            raise two_ways(digits.replace(",", ".", 1).replace(",", ""), digits.replace(",", ""))
        return _pounds(digits.replace(",", ""), factor, text)
    if _DECIMAL_COMMA.match(digits):
        raise two_ways(digits.replace(",", "."), digits.replace(",", ""))
    if _CONTINENTAL.match(digits):
        # One reading only, but not the UK's: name it and ask for it the UK way rather than guess.
        meant = Decimal(digits.replace(".", "").replace(",", ".")) * factor
        raise AmountError(_say("continental", text, one=_money(meant)))
    raise AmountError(_say("not-amount", text))


def parse_amount(text: str) -> float:
    """The whole of ``text`` as pounds: £216,000 / 216000 / 216k / 1.2m; AmountError in plain words otherwise."""
    match = _WHOLE.match(text.strip())
    if not match:
        raise AmountError(_say("not-amount", text))
    return read_number(match.group(1), match.group(2) or "", text)


def parse_positive_amount(text: str) -> float:
    """``parse_amount`` for an estimated value, which must be more than nothing: AmountError for £0."""
    amount = parse_amount(text)
    if amount <= 0:
        raise AmountError(_say("not-positive", text))
    return amount


@dataclass(frozen=True)
class Figure:
    """A figure found in a sentence: where it is, and whether a pound sign or a scale marks it as money."""

    text: str
    span: tuple[int, int]
    digits: str
    scale: str
    pound: bool

    @property
    def money(self) -> bool:
        """Whether it is written as a sum of money ("£14", "216k"), not just a number ("4 years")."""
        return self.pound or bool(self.scale)

    def pounds(self) -> float:
        """The figure in pounds; AmountError if it could be read two ways or is not one number."""
        return read_number(self.digits, self.scale, self.text)


def figures_in(text: str) -> list[Figure]:
    """Every figure in ``text``, as typed ("£216,000", "216k", "1.2m", "4"), a full stop or comma after it dropped."""
    out = []
    for match in _FIGURE.finditer(text):
        digits = match.group(2).rstrip(".,")
        start, end = match.span()
        if not match.group(3):  # "216,000, over": the comma ends the figure
            end = match.end(2) - (len(match.group(2)) - len(digits))
        out.append(Figure(text[start:end], (start, end), digits, match.group(3) or "", bool(match.group(1))))
    return out
