/// A crate that re-exports provenance under its own path.
mod toolkit {
    pub use ith_provenance::*;
}

mod plain {
    #[derive(ith_provenance::Fingerprint)]
    #[fingerprint(crate = "ith_provenance")]
    pub struct A {
        pub x: u8,
    }

    #[derive(ith_provenance::Fingerprint)]
    #[fingerprint(crate = "::ith_provenance")]
    pub struct B {
        pub x: u8,
    }

    #[derive(crate::toolkit::Fingerprint)]
    #[fingerprint(crate = "crate::toolkit")]
    pub enum C {
        X(u8),
    }
}

use ith_provenance::Fingerprint;

fn main() {
    assert_eq!(
        plain::A { x: 1 }.fingerprint(),
        plain::B { x: 1 }.fingerprint()
    );
    let _ = plain::C::X(1).fingerprint();
}
