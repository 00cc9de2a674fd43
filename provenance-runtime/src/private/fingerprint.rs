//! Support for the generated code of one macro (being written).
