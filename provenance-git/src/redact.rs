//! What a shared log must never hold in clear: the values of secret-looking
//! names, and the credentials a URL carries. One set of rules for the git
//! remote recorded here and for the runtime's command line and variables
//! (`docs/CONTEXT.md`, *Secrets*).

use std::borrow::Cow;

/// What stands in for a value that is not recorded: the one marker every
/// redaction writes.
pub const REDACTED: &str = "<redacted>";

/// Parts of a name (a flag, a variable, a URL's query parameter) that mark
/// its value as a secret, matched case-insensitively anywhere in the name.
pub const SECRET_NAME_PARTS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "key",
    "credential",
    "auth",
    "cookie",
    "session",
    "private",
    "dsn",
];

/// The names whose values are secrets: [`SECRET_NAME_PARTS`] and the
/// user's own.
///
/// A name is secret when it contains one of the parts, in any case. A
/// one-character name (a short flag such as `-p`) says nothing by itself,
/// so it is secret only when the user names that very character.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecretNames {
    /// The user's names, lower case, none empty.
    extra: Vec<String>,
}

impl SecretNames {
    /// The built-in parts and `extra` (trimmed; empty ones ignored).
    pub fn with_extra<I, S>(extra: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let extra = extra
            .into_iter()
            .map(|name| name.as_ref().trim().to_lowercase())
            .filter(|name| !name.is_empty())
            .collect();
        SecretNames { extra }
    }

    /// Whether a value named `name` is a secret.
    pub fn is_secret(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        if name.chars().count() == 1 {
            return self.extra.contains(&name);
        }
        let user = self.extra.iter().filter(|part| part.chars().count() > 1);
        SECRET_NAME_PARTS
            .iter()
            .copied()
            .chain(user.map(String::as_str))
            .any(|part| name.contains(part))
    }

    /// `text` with every URL in it (`scheme://…`, up to a space, a quote or
    /// the next URL)
    /// stripped of its secrets, each replaced by [`REDACTED`] so the shape
    /// stays: the user information (`https://<redacted>@host/…`; an `ssh`
    /// user alone names an account and is kept) and the values of
    /// secret-looking query and fragment parameters (`?token=<redacted>`).
    pub fn redact_urls<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = String::new();
        let mut copied = 0;
        let mut from = 0;
        while let Some(found) = text[from..].find("://") {
            let separator = from + found;
            let mut end = text[separator..]
                .find(|c: char| c.is_whitespace() || "\"'`".contains(c))
                .map_or(text.len(), |n| separator + n);
            // A URL ends where the next one starts (`a://…,b://…`), so the
            // next one's user information is never taken for a path.
            let after = separator + 3;
            if let Some(next) = text[after..end].find("://")
                && let Some(next_start) = scheme_start(&text[..after + next])
            {
                end = end.min(next_start.max(after));
            }
            if let Some(start) = scheme_start(&text[..separator]) {
                let url = &text[start..end];
                let clean = clean_url(url, self, Strip::Mark);
                if clean != url {
                    out.push_str(&text[copied..start]);
                    out.push_str(&clean);
                    copied = end;
                }
            }
            from = end;
        }
        if copied == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }

    /// One line of source or configuration without its secrets: the
    /// credentials of its URLs ([`redact_urls`](Self::redact_urls)), and the
    /// value assigned to a secret name, replaced by [`REDACTED`]. Returns
    /// `Cow::Owned` only when something was replaced.
    ///
    /// The value of `name = "…"`, `name: '…'`, `"name": "…"`, `name := "…"`
    /// or `const NAME: &str = "…"` is the quoted text; an unquoted value is
    /// taken only where the name starts the line and the value is one word
    /// that does not end with `,` or `;` (`API_KEY=abc`, `export TOKEN=abc`,
    /// `password: hunter2`), so `let key = derive(seed);` or a struct field
    /// `token: String,` stay code. Other shapes are left as written.
    ///
    /// ```
    /// use ith_provenance_git::redact::SecretNames;
    ///
    /// let names = SecretNames::default();
    /// assert_eq!(names.redact_assignment("api_key = \"abc\"\n"), "api_key = \"<redacted>\"\n");
    /// assert_eq!(names.redact_assignment("export HF_TOKEN=hf_x"), "export HF_TOKEN=<redacted>");
    /// assert_eq!(names.redact_assignment("let key = derive(seed);"), "let key = derive(seed);");
    /// ```
    pub fn redact_assignment<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let urls = self.redact_urls(line);
        let Some(value) = assigned_secret(&urls, self) else {
            return urls;
        };
        let mut out = String::with_capacity(urls.len());
        out.push_str(&urls[..value.start]);
        out.push_str(REDACTED);
        out.push_str(&urls[value.end..]);
        Cow::Owned(out)
    }
}

/// Where the value assigned to a secret name is in `line`, if it has one
/// to redact (see [`SecretNames::redact_assignment`]).
fn assigned_secret(line: &str, names: &SecretNames) -> Option<std::ops::Range<usize>> {
    let bytes = line.as_bytes();
    for (at, &separator) in bytes.iter().enumerate() {
        if separator != b'=' && separator != b':' {
            continue;
        }
        let next = bytes.get(at + 1).copied();
        let previous = at.checked_sub(1).map(|i| bytes[i]);
        // `a::b`, `==`, `=>`, `<=`, `!=`: paths and operators, not values.
        let walrus = separator == b':' && next == Some(b'=');
        if (matches!(next, Some(b':' | b'=' | b'>')) && !walrus)
            || matches!(previous, Some(b':' | b'=' | b'<' | b'>' | b'!'))
        {
            continue;
        }
        let Some((name_start, name)) = name_before(&line[..at]) else {
            continue;
        };
        if !names.is_secret(name) {
            continue;
        }
        let after = if next == Some(b'=') { at + 2 } else { at + 1 };
        if let Some(value) = quoted_value(line, after) {
            return Some(value);
        }
        // `const TOKEN: &str = "…"`: the value follows the type.
        if separator == b':'
            && let Some(eq) = line[after..].find('=').map(|i| after + i)
            && let Some(value) = quoted_value(line, eq + 1)
        {
            return Some(value);
        }
        let starts_line = {
            let before = line[..name_start].trim_start();
            before.is_empty() || before == "export " || before == "- "
        };
        if starts_line && let Some(value) = bare_value(line, after) {
            return Some(value);
        }
        return None;
    }
    None
}

/// The name that ends `before` (spaces and one closing quote skipped), and
/// where it starts: letters, digits, `_`, `-` and `.`.
fn name_before(before: &str) -> Option<(usize, &str)> {
    let trimmed = before.trim_end();
    let unquoted = trimmed.strip_suffix(['"', '\'']).unwrap_or(trimmed);
    let start = unquoted
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || "_-.".contains(c))
        .last()
        .map(|(i, _)| i)?;
    let name = &unquoted[start..];
    let start = if unquoted.len() < trimmed.len() {
        // A quoted key: the line starts at its opening quote.
        start
            .checked_sub(1)
            .filter(|&q| matches!(unquoted.as_bytes()[q], b'"' | b'\''))?
    } else {
        start
    };
    Some((start, name))
}

/// The inside of the string literal starting (after spaces) at `from`, if
/// it is one and is not empty.
fn quoted_value(line: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let rest = &line[from..];
    let start = from + (rest.len() - rest.trim_start().len());
    let quote = *line.as_bytes().get(start).filter(|q| b"\"'`".contains(q))?;
    let body = start + 1;
    let mut i = body;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return (i > body).then_some(body..i),
            _ => i += 1,
        }
    }
    None
}

/// A one-word unquoted value from `from` to the end of the line (its line
/// ending and trailing spaces left), unless it ends like code.
fn bare_value(line: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let rest = &line[from..];
    let start = from + (rest.len() - rest.trim_start().len());
    let end = line.trim_end().len();
    let value = line.get(start..end)?;
    let code = value.ends_with([',', ';', '{', '(', '[']) || value.starts_with(['"', '\'', '`']);
    (!value.is_empty() && !code && !value.contains(char::is_whitespace)).then_some(start..end)
}

/// A git remote's URL as a place others can fetch from: without the user
/// information of a `scheme://user:password@host` URL (a token is often
/// written there), without the password of an scp-like
/// `user:password@host:path`, and without secret-looking query and fragment
/// parameters (`?private_token=…`). `ssh://git@host/…` and `git@host:path`
/// keep their user: it names an account, not a secret.
pub fn url_without_credentials(url: &str) -> String {
    let names = SecretNames::default();
    if url.contains("://") {
        return clean_url(url, &names, Strip::Remove).into_owned();
    }
    // scp-like: `[user@]host:path`, the `@` before any `/`.
    let before_path = &url[..url.find('/').unwrap_or(url.len())];
    match before_path.rfind('@') {
        Some(at) if url[..at].contains(':') => url[at + 1..].to_string(),
        _ => url.to_string(),
    }
}

/// What becomes of a secret part of a URL.
#[derive(Clone, Copy, PartialEq)]
enum Strip {
    /// Replaced by [`REDACTED`]: what was passed keeps its shape.
    Mark,
    /// Left out: the URL stays one that can be fetched from.
    Remove,
}

/// Where the scheme ending at `before` (the text before `://`) starts: a
/// letter, then letters, digits, `+`, `-` or `.`.
fn scheme_start(before: &str) -> Option<usize> {
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || "+-.".contains(c))
        .last()
        .map(|(i, _)| i)?;
    let first = before[start..].find(|c: char| c.is_ascii_alphabetic())?;
    Some(start + first)
}

/// One URL (`scheme://authority[/path][?query][#fragment]`) without its
/// secrets.
fn clean_url<'a>(url: &'a str, names: &SecretNames, strip: Strip) -> Cow<'a, str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Cow::Borrowed(url);
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority: Cow<str> = match authority.rfind('@') {
        // ssh://git@host/... names an account, as the scp-like form does.
        Some(at) if scheme.contains("ssh") && !authority[..at].contains(':') => authority.into(),
        Some(at) if strip == Strip::Mark => format!("{REDACTED}@{}", &authority[at + 1..]).into(),
        Some(at) => authority[at + 1..].into(),
        None => authority.into(),
    };
    let (before_fragment, fragment) = split_at_char(tail, '#');
    let (path, query) = split_at_char(before_fragment, '?');
    let mut clean = format!("{scheme}://{authority}{path}");
    for (mark, params) in [('?', query), ('#', fragment)] {
        if let Some(params) = params {
            let params = clean_params(params, names, strip);
            if !params.is_empty() || strip == Strip::Mark {
                clean.push(mark);
                clean.push_str(&params);
            }
        }
    }
    if clean == url {
        Cow::Borrowed(url)
    } else {
        Cow::Owned(clean)
    }
}

/// `text` split at the first `mark`, the mark itself dropped.
fn split_at_char(text: &str, mark: char) -> (&str, Option<&str>) {
    match text.split_once(mark) {
        Some((before, after)) => (before, Some(after)),
        None => (text, None),
    }
}

/// `a=1&token=x` without the values of secret-looking parameters. A
/// fragment that holds no `name=value` pair is kept as it is.
fn clean_params(params: &str, names: &SecretNames, strip: Strip) -> String {
    let kept: Vec<Cow<str>> = params
        .split('&')
        .filter_map(|param| match param.split_once('=') {
            Some((name, _)) if names.is_secret(name) => match strip {
                Strip::Mark => Some(format!("{name}={REDACTED}").into()),
                Strip::Remove => None,
            },
            _ => Some(param.into()),
        })
        .collect();
    kept.join("&")
}

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
