use super::*;
use std::borrow::Cow;

#[test]
fn secret_names_in_any_case_and_the_users_own() {
    let names = SecretNames::default();
    for name in [
        "API_TOKEN",
        "aws_secret_access_key",
        "DB_PASSWORD",
        "ApiKey",
        "--api-key",
        "db.passwd",
        "MYSQL_PWD",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "auth",
        "Cookie",
        "session_id",
        "private_token",
        "SENTRY_DSN",
    ] {
        assert!(names.is_secret(name), "{name}");
    }
    for name in ["RAYON_NUM_THREADS", "DATASET", "hurdle", "p", "epochs"] {
        assert!(!names.is_secret(name), "{name}");
    }
    let names = SecretNames::with_extra([" Sig ", "", "p"]);
    assert!(names.is_secret("x-amz-signature"), "a user's part");
    assert!(names.is_secret("P"), "a short flag the user named");
    assert!(!names.is_secret("epochs"), "a one-letter name is no part");
}

#[test]
fn urls_anywhere_keep_their_shape_without_secrets() {
    let names = SecretNames::with_extra(["sig"]);
    for (text, clean) in [
        ("no url here", "no url here"),
        ("https://host/path?x=1#top", "https://host/path?x=1#top"),
        (
            "https://u:pw@host/path?token=T&x=1",
            "https://<redacted>@host/path?token=<redacted>&x=1",
        ),
        (
            "--db=postgres://ana:hunter2@db:5432/prices",
            "--db=postgres://<redacted>@db:5432/prices",
        ),
        (
            "https://ghp_abc@github.com/a",
            "https://<redacted>@github.com/a",
        ),
        ("ssh://git@github.com/a.git", "ssh://git@github.com/a.git"),
        ("ssh://git:pw@github.com/a", "ssh://<redacted>@github.com/a"),
        (
            "see https://a:b@h and ftp://c:d@i/x",
            "see https://<redacted>@h and ftp://<redacted>@i/x",
        ),
        (
            "https://a:b@h,https://c:d@i",
            "https://<redacted>@h,https://<redacted>@i",
        ),
        (
            r#"{"u":"https://a:b@h","v":"s3://k:s@b"}"#,
            r#"{"u":"https://<redacted>@h","v":"s3://<redacted>@b"}"#,
        ),
        (
            "https://proxy/https://a:b@h",
            "https://proxy/https://<redacted>@h",
        ),
        (
            "https://h/cb#access_token=T&state=s",
            "https://h/cb#access_token=<redacted>&state=s",
        ),
        (
            "https://h/?X-Amz-Sig=abc",
            "https://h/?X-Amz-Sig=<redacted>",
        ),
        ("https://host/path@with-at", "https://host/path@with-at"),
        ("https://<redacted>@h", "https://<redacted>@h"),
        ("://odd", "://odd"),
        ("a://", "a://"),
    ] {
        assert_eq!(names.redact_urls(text), clean, "{text}");
    }
}

#[test]
fn remote_credentials_are_removed_accounts_kept() {
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
        ("ana:pw@host:org/repo.git", "host:org/repo.git"),
        ("/srv/git/repo.git", "/srv/git/repo.git"),
        ("/srv/a:b@c/repo.git", "/srv/a:b@c/repo.git"),
        ("https://host/path@with-at", "https://host/path@with-at"),
        (
            "https://gitlab.com/org/repo.git?private_token=glpat-x",
            "https://gitlab.com/org/repo.git",
        ),
        (
            "https://h/r.git?ref=main&access_token=x",
            "https://h/r.git?ref=main",
        ),
    ] {
        assert_eq!(url_without_credentials(url), kept, "{url}");
    }
}

#[test]
fn assigned_secrets_are_redacted_in_the_shapes_source_uses() {
    let names = SecretNames::default();
    let redact = |line: &str| names.redact_assignment(line).into_owned();
    for (line, clean) in [
        ("api_key = \"abc\"\n", "api_key = \"<redacted>\"\n"),
        ("  password: 'hunter2'", "  password: '<redacted>'"),
        (
            "{\"token\": \"t0k\", \"n\": 1}",
            "{\"token\": \"<redacted>\", \"n\": 1}",
        ),
        (
            "const API_KEY: &str = \"abc\";",
            "const API_KEY: &str = \"<redacted>\";",
        ),
        ("token := \"abc\"", "token := \"<redacted>\""),
        ("export HF_TOKEN=hf_abc", "export HF_TOKEN=<redacted>"),
        ("DB_PASSWORD=s3cret\n", "DB_PASSWORD=<redacted>\n"),
        ("password: hunter2", "password: <redacted>"),
        (
            "db = \"postgres://u:pw@h/db\"",
            "db = \"postgres://<redacted>@h/db\"",
        ),
    ] {
        assert_eq!(redact(line), clean, "{line:?}");
    }
    for code in [
        "let key = derive(seed);",
        "    token: String,",
        "let api_key = std::env::var(\"API_KEY\")?;",
        "if key == \"x\" {",
        "window = 20",
        "key = \"\"",
        "use std::collections::HashMap;",
    ] {
        assert!(
            matches!(names.redact_assignment(code), Cow::Borrowed(_)),
            "{code:?}"
        );
    }
}
