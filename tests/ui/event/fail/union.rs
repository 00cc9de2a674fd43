use ith_provenance::Event;

#[derive(Event)]
#[event(name = "raw.bits", version = 1)]
union Bits {
    int: u64,
    float: f64,
}

impl serde::Serialize for Bits {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

fn main() {}
