"""The strict JSON body parser that endpoints share (content.jsonbody): no database needed."""

import pytest

from content.jsonbody import (
    BODY_BAD_CHARACTER,
    BODY_BAD_ID,
    BODY_BAD_NUMBER,
    BODY_NOT_JSON,
    BODY_TOO_DEEP,
    BODY_TOO_LARGE,
    MAX_ID,
    JSONBodyError,
    bounded_id,
    parse_json_body,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b'{"a": [1, 2.5, "x", null, true]}', {"a": [1, 2.5, "x", None, True]}),
        ('"\\ud83d\\ude00 ok"', "\U0001f600 ok"),  # a surrogate pair is one character
        (b'["[[[[", "{{{{"]', ["[[[[", "{{{{"]),  # brackets in strings do not count as depth
        ('{"k": "\\\\\\""}', {"k": '\\"'}),
        ("[" * 5 + "]" * 5, [[[[[]]]]]),
        ("[9223372036854775807, -9223372036854775808]", [2**63 - 1, -(2**63)]),
    ],
)
def test_valid_bodies_parse(raw, expected):
    assert parse_json_body(raw, max_depth=5) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"x" * 101, BODY_TOO_LARGE),
        (b"{not json", BODY_NOT_JSON),
        (b"\xff\xfe", BODY_NOT_JSON),
        (b"", BODY_NOT_JSON),
        (b"[" * 3000 + b"]" * 3000, BODY_TOO_DEEP),
        (b'{"a":' * 7 + b"1" + b"}" * 7, BODY_TOO_DEEP),
        (b"1e400", BODY_BAD_NUMBER),
        (b"[-1e400]", BODY_BAD_NUMBER),
        (b"NaN", BODY_BAD_NUMBER),
        (b'{"a": Infinity}', BODY_BAD_NUMBER),
        (b"[-Infinity]", BODY_BAD_NUMBER),
        (b"9223372036854775808", BODY_BAD_NUMBER),
        (b'{"a": -9223372036854775809}', BODY_BAD_NUMBER),
        (b"1" + b"0" * 5000, BODY_NOT_JSON),  # past Python's limit on digits
        (b'"\\u0000"', BODY_BAD_CHARACTER),
        (b'{"a\\u0000": 1}', BODY_BAD_CHARACTER),
        (b'["\\ud800"]', BODY_BAD_CHARACTER),
        (b'{"\\udc00": 1}', BODY_BAD_CHARACTER),
        (b'"\\ude00\\ud83d"', BODY_BAD_CHARACTER),  # a pair in the wrong order is two lone halves
        ("\"\ud800\"", BODY_BAD_CHARACTER),
        (b'"a\x00b"', BODY_NOT_JSON),  # a raw control character is not JSON
    ],
)
def test_hostile_bodies_are_refused_with_a_message(raw, message):
    with pytest.raises(JSONBodyError) as caught:
        parse_json_body(raw, max_depth=6, max_bytes=100 if raw == b"x" * 101 else 100_000)
    assert caught.value.message == message


@pytest.mark.parametrize("value, expected", [(1, 1), (MAX_ID, MAX_ID), ("42", 42), ("9223372036854775807", MAX_ID)])
def test_ids_in_range_are_accepted(value, expected):
    assert bounded_id(value) == expected


@pytest.mark.parametrize(
    "value", [0, -1, MAX_ID + 1, 10**22, "1" * 23, True, False, 1.0, 1.5, "", "-3", "1e3", " 1", "١٢", None, [1], {"id": 1}]
)
def test_ids_out_of_range_or_of_another_type_are_refused(value):
    with pytest.raises(JSONBodyError) as caught:
        bounded_id(value)
    assert caught.value.message == BODY_BAD_ID
