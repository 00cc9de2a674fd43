//! The repository's remote URL, as a place others can fetch the commit
//! from, without the credentials a URL may carry.

use git2::Repository;

/// The URL of the remote `branch` tracks (`branch.<name>.remote`), else of
/// `origin`, credentials removed; `None` when neither is configured.
pub(super) fn remote_url(repo: &Repository, branch: Option<&str>) -> Option<String> {
    let config = repo.config().ok()?;
    let tracked = branch.and_then(|b| config.get_string(&format!("branch.{b}.remote")).ok());
    // `.` is the repository itself (a branch tracking a local branch).
    let name = tracked
        .filter(|n| n != ".")
        .unwrap_or_else(|| "origin".to_string());
    let remote = repo.find_remote(&name).ok()?;
    let url = String::from_utf8_lossy(remote.url_bytes()).into_owned();
    Some(without_credentials(&url)).filter(|u| !u.is_empty())
}

/// `url` without the user information of a `scheme://user:password@host`
/// URL (a token is often written there). An scp-like `git@host:path` keeps
/// its user: it names an account, not a secret.
pub(super) fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rfind('@') {
        // ssh://git@host/... names an account, as the scp-like form does.
        Some(at) if scheme == "ssh" && !authority[..at].contains(':') => url.to_string(),
        Some(at) => format!("{scheme}://{}{path}", &authority[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::without_credentials;

    #[test]
    fn credentials_are_removed_accounts_kept() {
        for (url, kept) in [
            (
                "https://github.com/org/repo.git",
                "https://github.com/org/repo.git",
            ),
            (
                "https://ghp_secret@github.com/org/repo.git",
                "https://github.com/org/repo.git",
            ),
            (
                "https://ana:hunter2@git.lab/org/repo",
                "https://git.lab/org/repo",
            ),
            ("http://tok@host:8080/r", "http://host:8080/r"),
            (
                "ssh://git@github.com/org/repo.git",
                "ssh://git@github.com/org/repo.git",
            ),
            (
                "ssh://git:pw@github.com/org/repo.git",
                "ssh://github.com/org/repo.git",
            ),
            ("git@github.com:org/repo.git", "git@github.com:org/repo.git"),
            ("/srv/git/repo.git", "/srv/git/repo.git"),
            ("https://host/path@with-at", "https://host/path@with-at"),
        ] {
            assert_eq!(without_credentials(url), kept, "{url}");
        }
    }
}
