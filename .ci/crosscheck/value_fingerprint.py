#!/usr/bin/env python3
"""Cross-checks testdata/golden/value_fingerprint.json against an independent
implementation of value fingerprint encoding v1, written from
docs/VALUE_FINGERPRINT.md alone (Python 3.11 standard library, and numpy for the
bytes of arrays: `arr.tobytes()`, which tag 0x91 embeds the SHA-256 of).

For every vector it rebuilds the value described in the file, encodes it here,
and checks both `encoding_hex` and `sha256`. Prints
`value_fingerprint: N vectors match`, or says which vector differs and how,
and exits non-zero.
"""

import datetime
import hashlib
import json
import math
import struct
import sys

import numpy as np
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "testdata" / "golden" / "value_fingerprint.json"

PREFIX = b"provenance-fingerprint-v1\x00"

# The tag table of the spec.
UNIT, BOOL, CHAR = 0x01, 0x02, 0x03
U8, U16, U32, U64, U128 = 0x10, 0x11, 0x12, 0x13, 0x14
I8, I16, I32, I64, I128 = 0x18, 0x19, 0x1A, 0x1B, 0x1C
F32, F64 = 0x20, 0x21
STR = 0x30
NONE, SOME = 0x40, 0x41
SEQ, PACKED, TUPLE = 0x50, 0x51, 0x52
MAP, SET = 0x60, 0x61
STRUCT, TUPLE_STRUCT, UNIT_STRUCT, VARIANT = 0x70, 0x71, 0x72, 0x73
DATE_TIME, NAIVE_DATE_TIME, NAIVE_DATE, NAIVE_TIME = 0x80, 0x81, 0x82, 0x83
SHA256 = 0x90
ARRAY = 0x91

# (width in bytes, signed) of each integer tag; usize/isize use U64/I64.
INTS = {
    U8: (1, False), U16: (2, False), U32: (4, False), U64: (8, False), U128: (16, False),
    I8: (1, True), I16: (2, True), I32: (4, True), I64: (8, True), I128: (16, True),
}


def u64le(n):
    return struct.pack("<Q", n)


# -- raw element bytes (the packed form's elements, and scalars minus tag) --

def raw_int(tag, value):
    width, signed = INTS[tag]
    return value.to_bytes(width, "little", signed=signed)


def raw_f64_bits(bits):
    """An f64 given by its bit pattern; every NaN becomes the quiet NaN."""
    exponent_all_ones = (bits >> 52) & 0x7FF == 0x7FF
    if exponent_all_ones and bits & ((1 << 52) - 1):
        bits = 0x7FF8000000000000
    return struct.pack("<Q", bits)


def raw_f32_bits(bits):
    exponent_all_ones = (bits >> 23) & 0xFF == 0xFF
    if exponent_all_ones and bits & ((1 << 23) - 1):
        bits = 0x7FC00000
    return struct.pack("<I", bits)


def raw_f64(x):
    return raw_f64_bits(struct.unpack("<Q", struct.pack("<d", x))[0])


def raw_f32(x):
    return raw_f32_bits(struct.unpack("<I", struct.pack("<f", x))[0])


def raw_bool(b):
    return b"\x01" if b else b"\x00"


# -- encodings --

def unit():
    return bytes([UNIT])


def boolean(b):
    return bytes([BOOL]) + raw_bool(b)


def char(c):
    return bytes([CHAR]) + struct.pack("<I", ord(c))


def integer(tag, value):
    return bytes([tag]) + raw_int(tag, value)


def f64(x):
    return bytes([F64]) + raw_f64(x)


def f64_bits(bits):
    return bytes([F64]) + raw_f64_bits(bits)


def f32(x):
    return bytes([F32]) + raw_f32(x)


def string(s):
    data = s.encode("utf-8")
    return bytes([STR]) + u64le(len(data)) + data


def none():
    return bytes([NONE])


def some(encoding):
    return bytes([SOME]) + encoding


def seq(encodings):
    return bytes([SEQ]) + u64le(len(encodings)) + b"".join(encodings)


def packed(element_tag, raws):
    return bytes([PACKED, element_tag]) + u64le(len(raws)) + b"".join(raws)


def tuple_(encodings):
    return bytes([TUPLE]) + u64le(len(encodings)) + b"".join(encodings)


def map_(pairs):
    digests = sorted(hashlib.sha256(k + v).digest() for k, v in pairs)
    return bytes([MAP]) + u64le(len(digests)) + b"".join(digests)


def set_(encodings):
    digests = sorted(hashlib.sha256(e).digest() for e in encodings)
    return bytes([SET]) + u64le(len(digests)) + b"".join(digests)


def struct_(fields):
    """fields: {name: encoding}; written in ascending byte order of names."""
    ordered = sorted(fields.items(), key=lambda kv: kv[0].encode("utf-8"))
    body = b"".join(string(name) + value for name, value in ordered)
    return bytes([STRUCT]) + u64le(len(ordered)) + body


def tuple_struct(encodings):
    return bytes([TUPLE_STRUCT]) + u64le(len(encodings)) + b"".join(encodings)


def unit_struct():
    return bytes([UNIT_STRUCT])


def variant(name, payload):
    return bytes([VARIANT]) + string(name) + payload


def instant(tag, seconds, nanos):
    return bytes([tag]) + struct.pack("<qI", seconds, nanos)


def naive_date(days):
    return bytes([NAIVE_DATE]) + struct.pack("<q", days)


def naive_time(seconds, nanos):
    return bytes([NAIVE_TIME]) + struct.pack("<II", seconds, nanos)


def sha256_hash(digest):
    return bytes([SHA256]) + digest


def array(element_tag, arr):
    """Tag 0x91: the element tag, the shape, and numpy's sha256(arr.tobytes())
    (C order whatever the array's memory layout)."""
    shape = b"".join(u64le(n) for n in arr.shape)
    return bytes([ARRAY, element_tag]) + u64le(arr.ndim) + shape + hashlib.sha256(arr.tobytes()).digest()


def days_since_epoch(year, month, day):
    return (datetime.date(year, month, day) - datetime.date(1970, 1, 1)).days


def seconds_since_epoch(year, month, day, hour, minute, second, offset_seconds=0):
    return days_since_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds


# -- the vectors, built independently of the Rust code --

def vectors():
    nan_payload = 0xFFF8000000000001
    return {
        "unit": unit(),
        "bool_true": boolean(True),
        "u8": integer(U8, 0xAB),
        "u16": integer(U16, 0x0102),
        "u64_max": integer(U64, 2**64 - 1),
        "usize_as_u64": integer(U64, 42),
        "u128": integer(U128, 1 << 100),
        "i8_negative": integer(I8, -1),
        "i32_negative": integer(I32, -123456),
        "i64_min": integer(I64, -(2**63)),
        "isize_as_i64": integer(I64, -42),
        "i128_negative": integer(I128, -2),
        "f32": f32(1.5),
        "f64_negative_zero": f64(-0.0),
        "f64_nan_with_payload": f64_bits(nan_payload),
        "f64_infinity": f64(math.inf),
        "char_non_ascii": char("é"),
        "str_utf8": string("héllo 🦀"),
        "string_empty": string(""),
        "option_none": none(),
        "option_some_zero": some(integer(U32, 0)),
        "option_some_none": some(none()),
        "packed_u8": packed(U8, [raw_int(U8, b) for b in (1, 2, 3)]),
        "packed_u16_empty": packed(U16, []),
        "packed_f64_nan_and_zeros": packed(
            F64, [raw_f64(1.0), raw_f64_bits(0x7FF0000000000001), raw_f64(-0.0), raw_f64(0.0)]
        ),
        "packed_f32_deque": packed(F32, [raw_f32(x) for x in (0.5, -2.0, 3.25)]),
        "packed_usize": packed(U64, [raw_int(U64, n) for n in (0, 1, 2**32)]),
        "packed_bool": packed(BOOL, [raw_bool(b) for b in (True, False, True)]),
        "packed_i64_nested": seq(
            [packed(I64, [raw_int(I64, -1)]), packed(I64, [])]
        ),
        "seq_strings": seq([string("a"), string("bc")]),
        "seq_chars": seq([char("x"), char("y")]),
        "tuple_mixed": tuple_([integer(U8, 1), string("x"), boolean(True)]),
        "tuple_strings_ab_c": tuple_([string("ab"), string("c")]),
        "tuple_strings_a_bc": tuple_([string("a"), string("bc")]),
        "map_string_to_u32": map_([(string("b"), integer(U32, 2)), (string("a"), integer(U32, 1))]),
        "set_u64": set_([integer(U64, n) for n in (3, 1, 2)]),
        "set_empty": set_([]),
        "struct_config": struct_(
            {
                "lr": f64(0.001),
                "epochs": integer(U32, 10),
                "name": string("resnet"),
                "layers": packed(U64, [raw_int(U64, n) for n in (64, 128)]),
            }
        ),
        "tuple_struct_meters": tuple_struct([f64(2.5)]),
        "unit_struct_marker": unit_struct(),
        "enum_unit_variant": variant("Adam", unit_struct()),
        "enum_struct_variant": variant("Sgd", struct_({"momentum": f64(0.9), "lr": f64(0.1)})),
        "enum_tuple_variant": variant("Clip", tuple_struct([f32(1.0), f32(-1.0)])),
        "result_ok": variant("Ok", tuple_struct([integer(U8, 1)])),
        "result_err": variant("Err", tuple_struct([string("boom")])),
        "datetime_with_offset": instant(
            DATE_TIME, seconds_since_epoch(2024, 3, 1, 13, 0, 0, offset_seconds=3600), 500_000_000
        ),
        "datetime_before_epoch": instant(DATE_TIME, -1, 500_000_000),
        "naive_datetime": instant(NAIVE_DATE_TIME, seconds_since_epoch(2024, 3, 1, 12, 0, 0), 500_000_000),
        "naive_date": naive_date(days_since_epoch(1969, 12, 31)),
        "naive_time": naive_time(23 * 3600 + 59 * 60 + 59, 999_000_000),
        "sha256_hash": sha256_hash(hashlib.sha256(b"abc").digest()),
        "nested_option_vec_tuples": some(
            seq([tuple_([string("w"), f64(0.5)]), tuple_([string("b"), f64(-1.0)])])
        ),
        "worked_example": tuple_(
            [integer(U16, 7), string("hi"), some(f64(-0.0)), packed(U8, [b"\x01", b"\x02"])]
        ),
        # Values of types with #[derive(Fingerprint)] (the spec's "Derived
        # impls"): only the field and variant names as written, the kinds and
        # the values count, in the struct and enum forms above.
        # `learning_rate` renamed "lr", `log_every` skipped.
        "derive_renamed_and_skipped_fields": struct_({"lr": f64(0.25), "seed": integer(U64, 42)}),
        # Fields `ab`, `a_b`, `a1`, `r#type`: sorted as bytes, the raw prefix dropped.
        "derive_field_names_byte_order": struct_(
            {
                "ab": integer(U8, 1),
                "a_b": integer(U8, 2),
                "a1": integer(U8, 3),
                "type": string("raw"),
            }
        ),
        # Variant `LeakyReLU` renamed "Leaky".
        "derive_renamed_struct_variant": variant("Leaky", struct_({"slope": f32(0.5)})),
        # A generic struct over f64 nesting derived types: the Vec<f64> field packed.
        "derive_generic_nested": struct_(
            {
                "values": packed(F64, [raw_f64(0.1), raw_f64(0.2), raw_f64_bits(0x7FF8000000000000)]),
                "schedule": some(variant("Clip", tuple_struct([f32(0.5), f32(1.5)]))),
                "scale": tuple_struct([f64(3.0)]),
                "marker": unit_struct(),
            }
        ),
        # A Duration written by a `with` function as (seconds, nanoseconds).
        "derive_with_function": struct_(
            {
                "timeout": tuple_([integer(U64, 90), integer(U32, 500_000_000)]),
                "retries": integer(U8, 3),
            }
        ),
        # ndarray arrays (tag 0x91), from numpy's bytes of the same arrays.
        "ndarray_f64_2x3": array(F64, np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=np.float64)),
        # A transposed (Fortran-order) view: hashed in C order, as tobytes() is.
        "ndarray_i32_transposed_view": array(I32, np.arange(6, dtype=np.int32).reshape(3, 2).T),
        "ndarray_u8_empty_0x4": array(U8, np.zeros((0, 4), dtype=np.uint8)),
        "ndarray_bool_0d": array(BOOL, np.array(True)),
        # A derived struct with an ndarray field and a plain one.
        "derive_struct_with_ndarray_field": struct_(
            {
                "weights": array(F32, np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32)),
                "bias": f64(0.1),
            }
        ),
        # A tuple variant whose first element is skipped.
        "derive_tuple_variant_skipped_element": variant("Cached", tuple_struct([string("train.csv")])),
    }


def fail(message):
    print(f"value_fingerprint: MISMATCH: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    expected = vectors()
    names = [v["name"] for v in golden]
    if len(set(names)) != len(names):
        fail(f"{GOLDEN} names a vector twice")
    if set(names) != set(expected):
        fail(
            f"{GOLDEN} and this script cover different vectors: only in the file "
            f"{sorted(set(names) - set(expected))}, only here {sorted(set(expected) - set(names))}"
        )
    for vector in golden:
        name = vector["name"]
        encoding = PREFIX + expected[name]
        if vector["encoding_hex"] != encoding.hex():
            fail(
                f"vector {name!r} ({vector['description']}): the file's encoding_hex\n"
                f"  {vector['encoding_hex']}\nbut docs/VALUE_FINGERPRINT.md gives\n  {encoding.hex()}"
            )
        digest = "sha256:" + hashlib.sha256(encoding).hexdigest()
        if vector["sha256"] != digest:
            fail(f"vector {name!r}: the file says {vector['sha256']} but SHA-256 of its encoding is {digest}")
    print(f"value_fingerprint: {len(golden)} vectors match")


if __name__ == "__main__":
    main()
