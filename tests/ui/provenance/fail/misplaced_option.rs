// An option of the function written on an argument, `skip` written on the
// function, and `#[provenance()]` with nothing in it: each is named as an
// option of the other item, or asked for, on its own tokens.
use ith_provenance::provenance;

#[provenance(skip)]
fn first(#[provenance(strict)] a: u32, #[provenance()] b: u32) -> u32 {
    a + b
}

#[provenance(seed = 1)]
fn second(#[fingerprint(file, file)] path: &str, #[provenance(skip = true)] n: u32) -> u32 {
    path.len() as u32 + n
}

fn main() {
    first(1, 2);
    second("a", 1);
}
