"""The amount and id ranges: below 64-bit integers, with room for sums."""

import pytest
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from core.numbers import MAX_AMOUNT_MINOR, MAX_ID, AmountMinor, Id, Quantity, query_id

amount = TypeAdapter(AmountMinor)


@pytest.mark.parametrize("value", [10**19, MAX_AMOUNT_MINOR + 1, -1, "12", 12.0, True])
def test_an_amount_out_of_range_or_not_an_integer_is_refused(value):
    with pytest.raises(PydanticError):
        amount.validate_python(value)


def test_a_thousand_largest_amounts_still_fit_a_bigint():
    assert amount.validate_python(MAX_AMOUNT_MINOR) == MAX_AMOUNT_MINOR
    assert 1000 * MAX_AMOUNT_MINOR < 2**63 - 1


def test_ids_and_quantities_have_bounds():
    with pytest.raises(PydanticError):
        TypeAdapter(Id).validate_python(MAX_ID + 1)
    with pytest.raises(PydanticError):
        TypeAdapter(Quantity).validate_python(0)
    assert TypeAdapter(Id).validate_python(MAX_ID) == MAX_ID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("0", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("²", None),  # str.isdigit() is true for it; int() refuses it
        ("١٢", None),  # int() reads Arabic-Indic digits: not an id in a URL
        (" 1", None),
        ("+1", None),
        ("1_000", None),
        ("1.0", None),
        ("abc", None),
    ],
)
def test_query_id_reads_ascii_digits_in_the_id_range_only(text, expected):
    assert query_id(text) == expected
