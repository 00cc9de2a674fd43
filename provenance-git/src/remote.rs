//! The repository's remote URL, as a place others can fetch the commit
//! from, without the credentials a URL may carry.

use git2::Repository;

/// The URL of the remote `branch` tracks (`branch.<name>.remote`), else of
/// `origin`, credentials removed (`crate::redact::url_without_credentials`); `None` when neither is configured.
pub(super) fn remote_url(repo: &Repository, branch: Option<&str>) -> Option<String> {
    let config = repo.config().ok()?;
    let tracked = branch.and_then(|b| config.get_string(&format!("branch.{b}.remote")).ok());
    // `.` is the repository itself (a branch tracking a local branch).
    let name = tracked
        .filter(|n| n != ".")
        .unwrap_or_else(|| "origin".to_string());
    let remote = repo.find_remote(&name).ok()?;
    let url = String::from_utf8_lossy(remote.url_bytes()).into_owned();
    Some(crate::redact::url_without_credentials(&url)).filter(|u| !u.is_empty())
}
