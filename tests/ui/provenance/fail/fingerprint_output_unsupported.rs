use ith_provenance::provenance;

struct Report;

#[provenance(fingerprint_output)]
fn run() -> Result<Report, String> {
    Ok(Report)
}

fn main() {
    let _ = run();
}
