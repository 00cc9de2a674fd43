use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[repr(C, packed)]
struct Header {
    tag: u8,
    len: u32,
}

fn main() {}
