"""Numbers as clerks type, paste and print them: parsing, checking and formatting.

A value is an int (counts), a Decimal (amounts such as 万元) or None (blank). Blank is not 0.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

Value = int | Decimal | None

# Printed marks that mean "nothing here" in real reports.
BLANK_MARKS = {"", "/", "／", "—", "——", "-", "--", "–", "无", "空"}
_SEPARATORS = re.compile(r"(?<=\d)[,，、'’ ](?=\d{3}(?:\D|$))")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE = re.compile(rf"^(?P<number>.*[0-9０-９元件条次个人篇项])\s*(?P<mark>[{_SUPERSCRIPTS}]+|[⁽(][{_SUPERSCRIPTS}]+[⁾)])\s*$")


class ValueRefused(ValueError):
    """The text is not an acceptable value; str() is the Chinese reason."""


def normalize_text(text: str) -> str:
    """Full-width digits, signs and dots to ASCII; spaces folded."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("。", ".").strip()


def split_footnote(text: str) -> tuple[str, str]:
    """A printed figure and the footnote mark after it: "517645¹" -> ("517645", "¹"). Only a
    superscript after the number is taken for a mark; otherwise (text, "")."""
    match = _FOOTNOTE.match(text or "")
    if match is None:
        return text, ""
    return match["number"], match["mark"]


_REMARK = re.compile(r"^(?P<number>[+\-－]?[0-9０-９][0-9０-９,，.．\s]*(?:万元|元|件|条|次|个|人次|人|篇|项)?)\s*"
                     r"[（(](?P<remark>[^（()）]{0,30}[\u4e00-\u9fff][^（()）]{0,30})[）)]\s*$")


def split_remark(text: str) -> tuple[str, str]:
    """A printed figure and the remark in brackets after it: "22（其中修订16件）" -> ("22",
    "其中修订16件"). Only a remark with Chinese in it is taken; otherwise (text, "")."""
    match = _REMARK.match(text or "")
    if match is None:
        return text, ""
    return match["number"].strip(), match["remark"].strip()


def _odd_digit(text: str) -> str | None:
    """The first digit-like character that is not an ASCII or full-width digit: ①, ², ٣, Ⅻ."""
    for ch in text:
        if ch.isascii() or "０" <= ch <= "９":
            continue
        if unicodedata.category(ch) in ("Nd", "No", "Nl"):
            return ch
    return None


def parse_value(text, decimals: int, max_value, unit: str = "") -> Value:
    """Parse what a clerk typed or a file printed into a value of a cell.

    decimals: 0 for counts; max_value: the largest acceptable value; unit: the cell's unit,
    which may trail the number ("3件", "0.5万元"). Raises ValueRefused with the reason.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueRefused("不是数字")
    if isinstance(text, (int, Decimal)):
        return check_value(text, decimals, max_value)
    if isinstance(text, float):
        return check_value(Decimal(repr(text)), decimals, max_value)
    raw = str(text)
    if raw.isascii() and raw.isdigit():  # most printed figures: what the full path makes of them
        return check_value(Decimal(raw), decimals, max_value)
    odd = _odd_digit(raw)
    if odd is not None:
        raise ValueRefused(f"含有不能识别的数字符号“{odd}”（如带圈数字、上标或其他文字的数字），请改用普通数字")
    s = normalize_text(raw)
    if s in BLANK_MARKS:
        return None
    s = s.replace(" ", "")
    for u in _units(unit):
        if s.endswith(u) and len(s) > len(u):
            if u != unit and not (u == "元" and unit == "万元"):
                raise ValueRefused(f"单位“{u}”与本栏单位“{unit or '无'}”不符")
            if u == "元" and unit == "万元":
                raise ValueRefused("本栏单位是万元，请换算后填写")
            s = s[: -len(u)]
            break
    s = _SEPARATORS.sub("", s)
    if not _NUMBER.match(s):
        raise ValueRefused(f"“{raw.strip()}”不是数字")
    try:
        number = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid text
        raise ValueRefused(f"“{raw.strip()}”不是数字") from None
    return check_value(number, decimals, max_value)


@lru_cache(maxsize=32)
def _units(unit: str) -> tuple[str, ...]:
    """The units a figure may trail, longest first."""
    return tuple(sorted({unit, "万元", "元", "件", "条", "次", "个", "人次", "人", "篇", "项"} - {""}, key=len, reverse=True))


def check_value(number, decimals: int, max_value) -> Value:
    """A number as the cell keeps it, or ValueRefused naming why not."""
    number = Decimal(number)
    if not number.is_finite():
        raise ValueRefused("不是数字")
    if number < 0:
        raise ValueRefused("不能为负数")
    if number > max_value:
        raise ValueRefused(f"数值过大（最大 {format_value(Decimal(max_value))}）")
    if decimals == 0:
        if number != number.to_integral_value():
            raise ValueRefused("本栏只能填整数")
        return int(number)
    if -number.as_tuple().exponent > decimals:
        number = number.normalize()
        if -number.as_tuple().exponent > decimals:
            raise ValueRefused(f"最多{decimals}位小数")
    return number


def format_value(value: Value) -> str:
    """As printed: 12, 96171.6, 0.5; blank as ''."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def to_json_number(value: Value):
    """int stays int; Decimal becomes int when whole, else float (JSON has no decimals)."""
    if value is None or isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(format_value(value))
