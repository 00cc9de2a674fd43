use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};

#[derive(Fingerprint)]
struct r#Config {
    r#type: String,
    r#match: u8,
}

#[derive(Fingerprint)]
enum Keyword {
    r#Type,
    r#In { r#fn: u8 },
}

fn main() {
    let c = Config {
        r#type: "t".into(),
        r#match: 1,
    };
    let mut f = Fingerprinter::new();
    f.begin_struct(2)
        .field("match", &1_u8)
        .field("type", "t")
        .finish();
    assert_eq!(c.fingerprint(), f.finish());
    let _ = Keyword::r#Type.fingerprint();
    let _ = Keyword::In { r#fn: 1 }.fingerprint();
}
