use ith_provenance::provenance;

#[provenance(experimnt = "exp001", seed = 1, sede = 2)]
fn run() {}

fn main() {
    run();
}
