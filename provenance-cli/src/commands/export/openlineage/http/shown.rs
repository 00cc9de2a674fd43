//! What of a URL and of a server's answer the CLI may print: a URL without
//! its user information (`user:password@` is a credential), and an answer
//! as one short line with every control character escaped, so a server can
//! neither flood the terminal nor drive it with escape sequences.

/// The most characters of a server's answer printed (after escaping); the
/// rest is counted, not shown. docs/EXPORT.md names this number.
pub(crate) const MAX_ANSWER_CHARS: usize = 200;

/// `url` without the `user:password@` of its authority; a URL without one
/// (or not a URL at all) as it is.
pub(crate) fn without_userinfo(url: &str) -> String {
    match userinfo(url) {
        Some(info) => url.replacen(&format!("{info}@"), "", 1),
        None => url.to_string(),
    }
}

/// The `user:password` of `url` (between `://` and the last `@` of the
/// authority), if it has one.
pub(crate) fn userinfo(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    authority.rfind('@').map(|at| &authority[..at])
}

/// `bytes` (a server's answer, or an error's text) as one line: surrounding
/// white space trimmed, invalid UTF-8 replaced, a backslash, a control
/// character (newlines included) and an invisible formatting character
/// written as a Rust escape (`\\`, `\n`, `\u{1b}`), and cut after
/// [`MAX_ANSWER_CHARS`] characters, ` …(cut)` saying so.
pub(crate) fn one_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let mut shown = String::new();
    let mut chars = 0;
    for c in text.chars() {
        let escaped: String = match c {
            // Quotes stay as they are: answers are mostly JSON.
            '"' | '\'' => c.to_string(),
            _ => c.escape_debug().collect(),
        };
        chars += escaped.chars().count();
        if chars > MAX_ANSWER_CHARS {
            shown.push_str(" …(cut)");
            return shown;
        }
        shown.push_str(&escaped);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::{MAX_ANSWER_CHARS, one_line, without_userinfo};

    #[test]
    fn userinfo_is_removed_and_the_rest_kept() {
        for (url, shown) in [
            ("http://host:5000/api", "http://host:5000/api"),
            ("http://ana:pw@host:5000/api", "http://host:5000/api"),
            ("https://tok@host/api?x=1", "https://host/api?x=1"),
            ("http://a:b@c@host/p", "http://host/p"),
            (
                "http://host/path@not-userinfo",
                "http://host/path@not-userinfo",
            ),
            ("not a url", "not a url"),
        ] {
            assert_eq!(without_userinfo(url), shown, "{url}");
        }
    }

    #[test]
    fn an_answer_is_one_escaped_bounded_line() {
        assert_eq!(one_line(b"  {\"error\":\"x\"}\n"), "{\"error\":\"x\"}");
        assert_eq!(
            one_line(b"a\nb\r\x1b[31mred\\n\xff\xe2\x80\xae"),
            "a\\nb\\r\\u{1b}[31mred\\\\n\u{fffd}\\u{202e}"
        );
        let long = vec![b'\x07'; 10_000];
        let shown = one_line(&long);
        assert!(shown.ends_with("\\u{7} …(cut)"), "{shown}");
        assert!(shown.chars().count() <= MAX_ANSWER_CHARS + 7, "{shown}");
        assert!(!shown.chars().any(char::is_control), "{shown}");
    }
}
