//! What to do with a 3xx answer to a POST. ureq's own following is off:
//! it turns a POST answered 301/302/303 into a GET, which a server answers
//! 200 without having taken the event. Here only 307 and 308, which keep
//! the method and the body, are followed, and never from https to http.

use ureq::http::{StatusCode, Uri};

use super::shown::{one_line, without_userinfo};

/// The most redirects one event follows before the export fails.
pub(crate) const MAX_HOPS: usize = 5;

/// Where to POST next.
#[derive(Debug, PartialEq)]
pub(crate) struct Hop {
    /// The URL to send to (with the `--url`'s user information when it is
    /// the `--url`'s own origin).
    pub(crate) url: String,
    /// Whether the `--url`'s credentials (its user information, the bearer
    /// token) go along: only to the `--url`'s own scheme, host and port.
    pub(crate) credentials: bool,
}

/// The next hop after `status` with `location` from `current`, for a
/// client of `origin` (the `--url`); the message to fail with when the
/// answer is not to be followed.
pub(crate) fn next(
    origin: &str,
    current: &str,
    status: StatusCode,
    location: Option<&[u8]>,
) -> Result<Hop, String> {
    let Some(location) = location else {
        return Err(format!("HTTP {status} without a Location: not delivered"));
    };
    let shown = without_userinfo(&one_line(location));
    if !matches!(status.as_u16(), 307 | 308) {
        return Err(format!(
            "HTTP {status} to {shown}: not followed, since a POST redirected by 301, 302 or 303 \
             becomes a GET that delivers nothing; give that URL to --url"
        ));
    }
    let target = std::str::from_utf8(location)
        .ok()
        .and_then(|l| resolve(current, l.trim()))
        .ok_or_else(|| format!("HTTP {status} to {shown}: not a URL this tool can follow"))?;
    let target = without_userinfo(&target);
    if current.starts_with("https://") && !target.starts_with("https://") {
        return Err(format!(
            "HTTP {status} to {shown}: not followed, since it leaves https for plain http"
        ));
    }
    let (Some(from), Some(to)) = (origin_of(origin), origin_of(&target)) else {
        return Err(format!(
            "HTTP {status} to {shown}: not a URL this tool can follow"
        ));
    };
    if from != to {
        return Ok(Hop {
            url: target,
            credentials: false,
        });
    }
    let url = match super::shown::userinfo(origin) {
        Some(info) => target.replacen("://", &format!("://{info}@"), 1),
        None => target,
    };
    Ok(Hop {
        url,
        credentials: true,
    })
}

/// `location` (absolute, `//host/…`, `/path`, `?query` or a relative path)
/// resolved against `base`; `None` when it is not http(s).
fn resolve(base: &str, location: &str) -> Option<String> {
    let base_uri: Uri = base.parse().ok()?;
    let scheme = base_uri.scheme_str()?;
    let authority = base_uri.authority()?;
    let root = format!("{scheme}://{}", authority.as_str());
    let resolved = if location.contains("://") {
        location.to_string()
    } else if location.starts_with("//") {
        format!("{scheme}:{location}")
    } else if location.starts_with('/') {
        format!("{root}{location}")
    } else if location.starts_with('?') {
        format!("{root}{}{location}", base_uri.path())
    } else {
        let path = base_uri.path();
        format!("{root}{}{location}", &path[..=path.rfind('/')?])
    };
    let uri: Uri = resolved.parse().ok()?;
    matches!(uri.scheme_str(), Some("http" | "https")).then_some(resolved)
}

/// The scheme, host and port of `url` (the port its scheme's default when
/// not written).
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let uri: Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let port = uri
        .port_u16()
        .unwrap_or(if scheme == "https" { 443 } else { 80 });
    Some((scheme, uri.host()?.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::{Hop, next};
    use ureq::http::StatusCode;

    const TEMPORARY: StatusCode = StatusCode::TEMPORARY_REDIRECT;

    fn hop(url: &str, credentials: bool) -> Result<Hop, String> {
        Ok(Hop {
            url: url.to_string(),
            credentials,
        })
    }

    #[test]
    fn only_307_and_308_are_followed_with_credentials_kept_on_their_origin() {
        let origin = "http://u:pw@h:5000/api/v1/lineage";
        let go = |location: &str| next(origin, origin, TEMPORARY, Some(location.as_bytes()));
        assert_eq!(go("/v2"), hop("http://u:pw@h:5000/v2", true));
        assert_eq!(go("v2"), hop("http://u:pw@h:5000/api/v1/v2", true));
        assert_eq!(
            go("?a=1"),
            hop("http://u:pw@h:5000/api/v1/lineage?a=1", true)
        );
        assert_eq!(go("http://h:5000/x"), hop("http://u:pw@h:5000/x", true));
        assert_eq!(go("http://other/x"), hop("http://other/x", false));
        assert_eq!(go("//h:5001/x"), hop("http://h:5001/x", false));
        assert_eq!(go("http://x:y@other/x"), hop("http://other/x", false));
        assert_eq!(go("https://h:5000/x"), hop("https://h:5000/x", false));
        assert!(
            go("ftp://h/x")
                .unwrap_err()
                .contains("not a URL this tool can follow")
        );
        let https = "https://h/api";
        let down = next(https, https, TEMPORARY, Some(b"http://h/api")).unwrap_err();
        assert!(down.contains("leaves https for plain http"), "{down}");
        let found = next(origin, origin, StatusCode::FOUND, Some(b"/v2")).unwrap_err();
        assert_eq!(
            found,
            "HTTP 302 Found to /v2: not followed, since a POST redirected by 301, 302 or 303 \
             becomes a GET that delivers nothing; give that URL to --url"
        );
        let bare = next(origin, origin, TEMPORARY, None).unwrap_err();
        assert!(bare.contains("without a Location"), "{bare}");
        let secret = next(
            origin,
            origin,
            StatusCode::FOUND,
            Some(b"http://a:s3cret@b/\n"),
        );
        assert!(!secret.unwrap_err().contains("s3cret"));
    }
}
