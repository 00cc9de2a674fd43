use ith_provenance::Event;

mod as_text {
    pub fn serialize<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }
}

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
struct Checkpoint {
    #[serde(with = "as_text")]
    step: u64,
    #[serde(serialize_with = "as_text::serialize")]
    epoch: u64,
}

fn main() {}
