use ith_provenance::provenance;

#[provenance(output_file)]
fn rows() -> usize {
    2
}

#[provenance(output_file)]
fn maybe_rows() -> Result<u64, String> {
    Ok(2)
}

fn main() {
    rows();
    let _ = maybe_rows();
}
