"""Numbers as clerks type and print them."""

from decimal import Decimal

import pytest

from giapp.form import load_form
from giapp.values import ValueRefused, format_value, parse_value


def count(text):
    return parse_value(text, 0, 999_999_999, "件")


def amount(text):
    return parse_value(text, load_form("gov-info-2021").cells["s2.fees"].type.decimals, 999_999_999, "万元")


@pytest.mark.parametrize("text, expected", [
    ("12", 12), (" 12 ", 12), ("１２", 12), ("０", 0), ("3件", 3), ("３ 件", 3), ("1,234", 1234),
    ("1，234，567", 1234567), ("3985758", 3985758), ("999999999", 999_999_999), (7, 7), ("12.0", 12),
])
def test_counts_accepted(text, expected):
    value = count(text)
    assert value == expected and isinstance(value, int)


@pytest.mark.parametrize("text", ["", "  ", "/", "／", "—", "——", "-", "无", None])
def test_blank_marks_are_blank_not_zero(text):
    assert count(text) is None


@pytest.mark.parametrize("text, reason", [
    ("abc", "不是数字"), ("1二", "不是数字"), ("-1", "负数"), ("－３", "负数"), ("1.5", "整数"),
    ("1000000000", "过大"), ("3万元", "单位"), ("1e5", "不是数字"), ("NaN", "不是数字"), (True, "不是数字"),
    ("12,34", "不是数字"),
])
def test_counts_refused_with_a_reason(text, reason):
    with pytest.raises(ValueRefused) as e:
        count(text)
    assert reason in str(e.value)


@pytest.mark.parametrize("text, expected", [
    ("96171.6", Decimal("96171.6")), ("0.5", Decimal("0.5")), ("０．５", Decimal("0.5")), ("4068.208万元", Decimal("4068.208")),
    ("1.2345", Decimal("1.2345")), ("1.20000", Decimal("1.2")), (Decimal("0.5"), Decimal("0.5")), (0.5, Decimal("0.5")),
    # 元 converted to 万元 by the office: six decimals, as real reports print them
    ("5949.088667", Decimal("5949.088667")), ("0.038", Decimal("0.038")), ("1.2345670", Decimal("1.234567")),
])
def test_amounts_keep_up_to_six_decimals_exactly(text, expected):
    assert amount(text) == expected
    assert format_value(amount(text)) == format_value(expected)  # printed as written


def test_amount_refusals():
    with pytest.raises(ValueRefused, match="6位小数"):
        amount("1.2345678")
    with pytest.raises(ValueRefused, match="万元"):
        amount("251000元")


@pytest.mark.parametrize("value, text", [(None, ""), (0, "0"), (12, "12"), (Decimal("96171.60"), "96171.6"),
                                         (Decimal("0.5"), "0.5"), (Decimal("100"), "100"), (Decimal("1E+2"), "100")])
def test_format(value, text):
    assert format_value(value) == text
