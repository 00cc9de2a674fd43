//! The command line as recorded: every argument kept, the values of
//! secret-looking options and the secrets of every URL replaced by
//! [`REDACTED`].
//!
//! The rules, for each argument after the program:
//! - `--name=value`, `-name=value`, `name=value`, `+a.name=value` (Hydra's
//!   overrides) and `Name: value` (a header): the value is redacted when the
//!   name is secret;
//! - `--name` or `-name` alone, its name secret: the next argument is its
//!   value and is redacted, unless it is itself a long option (`--verbose`)
//!   or `--`;
//! - `-pVALUE`, when the user named the letter `p`: the attached value is
//!   redacted;
//! - everywhere else, and in the program's own path, each URL loses its
//!   user information and its secret-looking parameters' values.

use ith_provenance_git::redact::{REDACTED, SecretNames};

/// `args` (the program first) with their secrets redacted.
pub(crate) fn redact_command_line(args: Vec<String>, names: &SecretNames) -> Vec<String> {
    let mut recorded = Vec::with_capacity(args.len());
    let mut value_follows = false;
    for (index, arg) in args.into_iter().enumerate() {
        if std::mem::take(&mut value_follows) && !is_long_option(&arg) {
            recorded.push(REDACTED.to_string());
            continue;
        }
        if index > 0 {
            if let Some(redacted) = assignment(&arg, names).or_else(|| attached(&arg, names)) {
                recorded.push(redacted);
                continue;
            }
            value_follows = option_name(&arg).is_some_and(|name| names.is_secret(name));
        }
        recorded.push(names.redact_urls(&arg).into_owned());
    }
    recorded
}

/// `--verbose` or `--`: an option, not a value of the one before.
fn is_long_option(arg: &str) -> bool {
    arg == "--"
        || arg
            .strip_prefix("--")
            .is_some_and(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Whether `name` can be an option's or a setting's name.
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.".contains(c))
}

/// The name of an option given without `=`: `--token` → `token`.
fn option_name(arg: &str) -> Option<&str> {
    let name = arg.strip_prefix('-')?.trim_start_matches('-');
    is_name(name).then_some(name)
}

/// `name=value` or `Name: value`, redacted when the name is secret.
fn assignment(arg: &str, names: &SecretNames) -> Option<String> {
    let (prefix, separator) = match (arg.find('='), arg.find(": ")) {
        (Some(eq), Some(colon)) if colon < eq => (&arg[..colon], ": "),
        (Some(eq), _) => (&arg[..eq], "="),
        (None, Some(colon)) => (&arg[..colon], ": "),
        (None, None) => return None,
    };
    let name = prefix.trim_start_matches(['-', '+']);
    (is_name(name) && names.is_secret(name)).then(|| format!("{prefix}{separator}{REDACTED}"))
}

/// `-pVALUE` for a letter `p` the user named: `-p<redacted>`.
fn attached(arg: &str, names: &SecretNames) -> Option<String> {
    let rest = arg.strip_prefix('-').filter(|r| !r.starts_with('-'))?;
    let letter = rest.chars().next()?;
    let has_value = rest.len() > letter.len_utf8();
    (has_value && names.is_secret(&letter.to_string())).then(|| format!("-{letter}{REDACTED}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(args: &[&str], extra: &[&str]) -> Vec<String> {
        let args = args.iter().map(|a| a.to_string()).collect();
        redact_command_line(args, &SecretNames::with_extra(extra))
    }

    #[test]
    fn secret_options_keep_their_names_and_lose_their_values() {
        assert_eq!(
            redact(
                &[
                    "prog",
                    "--password",
                    "X",
                    "--api-key=Y",
                    "--token",
                    "Z",
                    "https://u:pw@host/?token=T",
                    "--hurdle",
                    "0.05",
                ],
                &[]
            ),
            [
                "prog",
                "--password",
                "<redacted>",
                "--api-key=<redacted>",
                "--token",
                "<redacted>",
                "https://<redacted>@host/?token=<redacted>",
                "--hurdle",
                "0.05",
            ]
        );
    }

    #[test]
    fn single_dash_settings_headers_and_urls_inside_values() {
        assert_eq!(
            redact(
                &[
                    "prog",
                    "-token",
                    "-starts-with-dash",
                    "+db.password=hunter2",
                    "AWS_SECRET_ACCESS_KEY=abc",
                    "Authorization: Bearer xyz",
                    "--db=postgres://ana:pw@db/prices",
                    "window=20",
                ],
                &[]
            ),
            [
                "prog",
                "-token",
                "<redacted>",
                "+db.password=<redacted>",
                "AWS_SECRET_ACCESS_KEY=<redacted>",
                "Authorization: <redacted>",
                "--db=postgres://<redacted>@db/prices",
                "window=20",
            ]
        );
    }

    #[test]
    fn a_long_option_after_a_secret_one_is_not_its_value() {
        assert_eq!(
            redact(
                &["prog", "--use-auth", "--epochs", "3", "--token", "--"],
                &[]
            ),
            ["prog", "--use-auth", "--epochs", "3", "--token", "--"]
        );
        assert_eq!(redact(&["prog", "--token"], &[]), ["prog", "--token"]);
    }

    #[test]
    fn short_options_only_when_the_user_names_them() {
        let args = ["prog", "-p", "hunter2", "-pHUNTER", "-p=x", "-v", "3"];
        assert_eq!(redact(&args, &[]), args, "-p may be a port");
        assert_eq!(
            redact(&args, &["p"]),
            [
                "prog",
                "-p",
                "<redacted>",
                "-p<redacted>",
                "-p=<redacted>",
                "-v",
                "3"
            ]
        );
        assert_eq!(
            redact(&["prog", "--passphrase-file", "f", "--sig=s"], &["sig"]),
            ["prog", "--passphrase-file", "f", "--sig=<redacted>"],
            "a user's name adds to the built-in ones"
        );
    }

    #[test]
    fn the_program_path_only_loses_url_secrets() {
        assert_eq!(
            redact(&["/opt/token=x/prog", "plain"], &[]),
            ["/opt/token=x/prog", "plain"]
        );
    }
}
