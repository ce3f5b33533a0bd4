"""The JSON codec writes what the standard library writes, compactly, and refuses bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dojang.kernel import json_codec

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_values_round_trip_and_read_back_as_the_standard_library_reads_them(value: object) -> None:
    written = json_codec.dump_bytes(value)
    assert json_codec.load(written) == value
    assert json.loads(written) == value
    assert json_codec.load(json.dumps(value)) == value
    assert json_codec.dump_text(value) == written.decode()


def test_the_output_is_compact_utf8() -> None:
    value = {"title": "휴가 신청", "days": [1, 2.5], "ok": True, "none": None}
    assert (
        json_codec.dump_bytes(value)
        == json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    )


@pytest.mark.parametrize("text", [b"{", b"", b"{'a': 1}", b"[1,]", b"\xff"])
def test_malformed_text_raises_value_error(text: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (the codec promises ValueError, nothing finer)
        json_codec.load(text)
