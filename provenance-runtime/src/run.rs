//! The run an annotated function is executing (being written).
