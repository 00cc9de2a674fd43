//! Creates the default log folder with a `.gitignore` that keeps its logs out
//! of git, as `.pytest_cache` and `.ruff_cache` do.
//!
//! The default folder (`logs/provenance/`) usually lands inside the user's
//! repository; without this, every run after the first would record
//! `dirty: true`. The git capture also recognises our logs by their first
//! line (`docs/GIT.md`, *Our own logs*), so this file is a courtesy to
//! `git status` and `git add .` rather than what keeps runs clean.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

/// What the `.gitignore` holds: `*` ignores the folder's logs and the
/// `.gitignore` itself, so the folder never shows up in `git status`.
pub(crate) const GITIGNORE: &str =
    "# written by provenance: its logs never make the repository dirty\n*\n";

/// Creates `dir` and its parents if missing. When this call creates `dir`
/// itself, it also writes `dir/.gitignore` ([`GITIGNORE`]) unless one is
/// already there.
///
/// A folder that already existed is left as it is: a user who deleted our
/// `.gitignore` to commit the logs keeps it deleted. Failing to write the
/// `.gitignore` is not an error: the log can still be written, and the git
/// capture leaves our logs out anyway.
pub(crate) fn create_default_folder(dir: &Path) -> io::Result<()> {
    let existed = dir.is_dir();
    std::fs::create_dir_all(dir)?;
    if !existed {
        let _ = write_gitignore(dir);
    }
    Ok(())
}

/// Writes the `.gitignore`, never over an existing one (`create_new`, so
/// two processes creating the folder at once cannot both write it).
fn write_gitignore(dir: &Path) -> io::Result<()> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dir.join(".gitignore"))?
        .write_all(GITIGNORE.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::sink::Resolved;

    #[test]
    fn a_created_folder_gets_a_gitignore_of_star() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("logs").join("provenance");
        create_default_folder(&dir).expect("create");
        let written = std::fs::read_to_string(dir.join(".gitignore")).expect("read");
        assert_eq!(written, GITIGNORE);
        assert_eq!(written.lines().last(), Some("*"));
        // Every other line is a comment, so `*` is the only rule.
        assert!(
            written
                .lines()
                .filter(|l| *l != "*")
                .all(|l| l.starts_with('#'))
        );
    }

    #[test]
    fn an_existing_gitignore_is_left_alone() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("logs").join("provenance");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join(".gitignore"), "!keep.ndjson\n").expect("write");
        create_default_folder(&dir).expect("create");
        let kept = std::fs::read_to_string(dir.join(".gitignore")).expect("read");
        assert_eq!(kept, "!keep.ndjson\n");
    }

    #[test]
    fn an_existing_folder_without_gitignore_gets_none() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("logs").join("provenance");
        std::fs::create_dir_all(&dir).expect("mkdir");
        create_default_folder(&dir).expect("create");
        assert!(!dir.join(".gitignore").exists());
    }

    #[test]
    fn only_the_default_path_gets_the_gitignore() {
        use crate::log::sink::{LogTarget, Sink};

        let default = LogTarget::FromEnv.resolve(None, "sess_x");
        assert!(default.default_path);
        assert!(
            matches!(&default.target, LogTarget::File(p) if *p == crate::default_log_path("sess_x"))
        );
        for chosen in [
            LogTarget::FromEnv.resolve(Some("run-a.ndjson".as_ref()), "sess_x"),
            LogTarget::File("logs/provenance/x.ndjson".into()).resolve(None, "sess_x"),
        ] {
            assert!(!chosen.default_path, "{chosen:?}");
        }

        // The same decision carried to `Sink::open`: the default folder is
        // created with its `.gitignore`; a folder the user named must exist
        // already, and gets none.
        let tmp = tempfile::tempdir().expect("temp dir");
        let open = |path: &std::path::Path, default_path| {
            Sink::open(Resolved {
                target: LogTarget::File(path.to_path_buf()),
                default_path,
            })
        };
        let ours = tmp.path().join("ours").join("s.ndjson");
        drop(open(&ours, true).expect("open"));
        assert!(ours.is_file());
        assert!(tmp.path().join("ours").join(".gitignore").is_file());

        let theirs = tmp.path().join("theirs").join("s.ndjson");
        let missing = open(&theirs, false)
            .err()
            .expect("a missing folder is an error");
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        assert!(missing.to_string().contains("does not exist"), "{missing}");
        assert!(!tmp.path().join("theirs").exists(), "no folder was made up");
        std::fs::create_dir(tmp.path().join("theirs")).expect("mkdir");
        drop(open(&theirs, false).expect("open"));
        assert!(theirs.is_file());
        assert!(!tmp.path().join("theirs").join(".gitignore").exists());
    }
}
