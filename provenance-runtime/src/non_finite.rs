//! How the project names the floats JSON cannot hold (`NaN`, `Infinity`,
//! `-Infinity`), and the serde tokens that carry those names from a
//! [`Scalar`](crate::Scalar) to the event log, which writes `null` and lists
//! them in `non_finite`.
//!
//! A leaf both sides use: `array` writes the tokens, `log` reads them.

/// The string a non-finite float is written as, or `None` when it is finite.
pub(crate) fn non_finite_name(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("NaN")
    } else if x == f64::INFINITY {
        Some("Infinity")
    } else if x == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// The newtype-struct names a non-finite [`Scalar`](crate::Scalar) serializes under: every
/// other serializer writes the string inside (serde's newtype structs are
/// transparent), the event log recognizes the name.
const NON_FINITE_TOKENS: [&str; 3] = [
    "$ith_provenance::non_finite::NaN",
    "$ith_provenance::non_finite::Infinity",
    "$ith_provenance::non_finite::-Infinity",
];

/// The token of a non-finite float's name (`"NaN"`, `"Infinity"`, `"-Infinity"`).
pub(crate) fn non_finite_token(name: &str) -> &'static str {
    match name {
        "NaN" => NON_FINITE_TOKENS[0],
        "Infinity" => NON_FINITE_TOKENS[1],
        _ => NON_FINITE_TOKENS[2],
    }
}

/// The non-finite float's name a newtype-struct name stands for, if it is
/// one of [`Scalar`](crate::Scalar)'s tokens.
pub(crate) fn non_finite_of_token(name: &str) -> Option<&'static str> {
    name.strip_prefix("$ith_provenance::non_finite::")
        .and_then(|rest| {
            ["NaN", "Infinity", "-Infinity"]
                .into_iter()
                .find(|n| *n == rest)
        })
}
