//! Every argument and return shape `#[fingerprint(file)]` and
//! `output_file` accept.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use ith_provenance::provenance;

#[provenance]
fn inputs(
    #[fingerprint(file)] a: &Path,
    #[fingerprint(file)] b: PathBuf,
    #[fingerprint(file)] c: &str,
    #[fingerprint(file)] d: String,
    #[fingerprint(file)] e: &OsStr,
    #[fingerprint(file)] f: OsString,
    #[fingerprint(file)] g: &PathBuf,
    #[fingerprint(file)] mut h: String,
) {
    h.push('x');
    let _ = (a, b, c, d, e, f, g, h);
}

#[provenance(output_file)]
fn path_buf() -> PathBuf {
    PathBuf::from("out.csv")
}

#[provenance(output_file)]
fn borrowed(dir: &Path) -> &Path {
    dir
}

#[provenance(output_file)]
fn string() -> String {
    "out.csv".into()
}

#[provenance(output_file)]
fn fallible() -> Result<PathBuf, std::io::Error> {
    Ok(PathBuf::from("out.csv"))
}

#[provenance(output_file)]
fn early(fail: bool) -> Result<&'static str, String> {
    if fail {
        return Err("no".into());
    }
    Ok("out.csv")
}

#[provenance(output_file, fingerprint_output)]
fn both() -> String {
    "out.csv".into()
}

#[provenance(output_file)]
async fn later() -> PathBuf {
    PathBuf::from("out.csv")
}

fn main() {
    inputs(
        Path::new("a"),
        "b".into(),
        "c",
        "d".into(),
        OsStr::new("e"),
        "f".into(),
        &PathBuf::from("g"),
        "h".into(),
    );
    let _ = (path_buf(), borrowed(Path::new(".")), string(), fallible().ok(), early(true), both());
    let _ = later();
}
