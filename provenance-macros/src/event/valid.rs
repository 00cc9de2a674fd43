//! The rules an event type must follow, each reported on the token that
//! breaks it: a valid name, a version, fields whose written names stay
//! clear of the envelope and of each other, and a shape whose fields the
//! payload schema can describe.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::GenericParam;

use super::ast::{Container, Field};
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &mut Ctxt, cont: &Container) {
    check_event_attr(cx, cont);
    check_generics(cx, cont);
    check_serde_container(cx, cont);
    check_fields(cx, cont);
}

fn check_event_attr(cx: &mut Ctxt, cont: &Container) {
    let attrs = &cont.attrs;
    let Some(event_attr) = &attrs.event_attr else {
        cx.error_spanned_by(
            cont.ident,
            format!(
                "#[derive(Event)] needs the event's name: add #[event(name = \"...\", version = 1)] to `{}`",
                cont.ident
            ),
        );
        return;
    };
    match &attrs.name {
        Some(given) => {
            let name = &given.value;
            if let Err(problem) = name_problem(&name.value()) {
                cx.error_spanned_by(
                    name,
                    format!(
                        "invalid event name {:?}: {problem}; an event name is lowercase ASCII letters, digits, `_` and `.`, \
                         with no leading, trailing or doubled `.` (e.g. \"training.checkpoint\")",
                        name.value()
                    ),
                );
            }
        }
        None if !attrs.event_attr_broken => {
            cx.error_spanned_by(
                event_attr,
                "#[event] needs the event's name: #[event(name = \"...\", version = 1)]",
            );
        }
        None => {}
    }
}

/// Why `name` is not a valid event name, if it is not.
fn name_problem(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '_' | '.'))
    {
        return Err(format!("{c:?} is not allowed"));
    }
    if name.starts_with('.') {
        return Err("it starts with `.`".into());
    }
    if name.ends_with('.') {
        return Err("it ends with `.`".into());
    }
    if name.contains("..") {
        return Err("it has an empty part between two `.`".into());
    }
    Ok(())
}

/// Lifetimes are fine (`&'a str` fields); a type or const parameter would
/// give several payload schemas one event name and version.
fn check_generics(cx: &mut Ctxt, cont: &Container) {
    for param in &cont.generics.params {
        let (what, ident) = match param {
            GenericParam::Lifetime(_) => continue,
            GenericParam::Type(t) => ("type", &t.ident),
            GenericParam::Const(c) => ("const", &c.ident),
        };
        cx.error_spanned_by(
            ident,
            format!(
                "an event type cannot have the {what} parameter `{ident}`: its name and version must stand for one payload schema; \
                 use concrete field types (lifetime parameters are fine)"
            ),
        );
    }
}

fn check_serde_container(cx: &mut Ctxt, cont: &Container) {
    for option in &cont.attrs.serde.reshaping {
        let shown = option.to_string();
        cx.error_spanned_by(
            option,
            format!(
                "#[serde({shown})] cannot be used on an event: the event's line is written from its fields, \
                 and `{shown}` makes it serialize as something else"
            ),
        );
    }
}

fn check_fields(cx: &mut Ctxt, cont: &Container) {
    let mut seen: BTreeMap<&str, &Field> = BTreeMap::new();
    for field in &cont.fields {
        if let Some(flatten) = &field.attrs.flatten {
            cx.error_spanned_by(
                flatten,
                "#[serde(flatten)] cannot be used in an event: the payload's fields must be known, to describe them \
                 in its schema and to keep envelope names (`seq`, `ts`, …) off the line; list the fields in the event itself",
            );
            continue;
        }
        if field.attrs.skip {
            continue;
        }
        if let Some(with) = &field.attrs.serialize_with {
            let shown = with.to_string();
            cx.error_spanned_by(
                with,
                format!(
                    "#[serde({shown} = ...)] writes this field differently from its type, so the type's schema would not describe it; \
                     use a field type whose Serialize writes that form and which implements ith_provenance::FieldSchema"
                ),
            );
        }
        // The token a user changes to fix a name: the rename, else the field.
        let name_token = field
            .attrs
            .rename
            .as_ref()
            .map_or_else(|| field.ident.to_token_stream(), ToTokens::to_token_stream);
        let via = match (&field.attrs.rename, &cont.attrs.serde.rename_all) {
            (None, Some(rule)) => format!(" (after rename_all = {:?})", rule.value()),
            _ => String::new(),
        };
        if ith_provenance_contract::is_envelope_field(&field.json_name) {
            cx.error_spanned_by(
                &name_token,
                format!(
                    "this field is written as `{}`{via}, a field of every line's envelope ({}); \
                     give it another name with #[serde(rename = \"...\")]",
                    field.json_name,
                    envelope_names(),
                ),
            );
        } else if let Some(first) = seen.get(field.json_name.as_str()) {
            cx.error_spanned_by(
                &name_token,
                format!(
                    "this field is written as `{}`{via}, like the field `{}`: a line cannot have the same key twice; rename one",
                    field.json_name, first.ident
                ),
            );
        } else {
            seen.insert(&field.json_name, field);
        }
    }
}

/// Every envelope name, as the error lists them (`docs/CONTRACT.md`).
fn envelope_names() -> String {
    let names = ith_provenance_contract::ENVELOPE_FIELDS.iter();
    let names: Vec<&str> = names
        .chain(&ith_provenance_contract::OPTIONAL_ENVELOPE_FIELDS)
        .copied()
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::name_problem;

    #[test]
    fn event_names_follow_the_rule() {
        for good in ["data.load", "epoch_detected", "a", "v2.metrics_3.x"] {
            assert_eq!(name_problem(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "Data.load",
            "data-load",
            "data load",
            ".a",
            "a.",
            "a..b",
            "é",
        ] {
            assert!(name_problem(bad).is_err(), "{bad}");
        }
    }
}
