//! The derive's input read into our own small tree: the struct, its
//! attributes, and each named field with the name it is written under.

use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type};

use super::attr;
use crate::ctxt::Ctxt;

pub(crate) struct Container<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub attrs: attr::Container,
    /// The named fields; empty when the input is not a struct with named
    /// fields (already reported).
    pub fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Field,
    /// The key the field is written under: its `rename`, else its name
    /// (without `r#`) after the container's `rename_all`.
    pub json_name: String,
}

impl<'a> Container<'a> {
    pub(crate) fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Self {
        let attrs = attr::container(cx, &input.attrs);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .filter_map(|f| Field::from_syn(cx, f, &attrs))
                    .collect(),
                Fields::Unnamed(unnamed) => {
                    cx.error_spanned_by(
                        unnamed,
                        "#[derive(Event)] needs a struct with named fields, which are written as the line's fields; a tuple struct has none",
                    );
                    Vec::new()
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "#[derive(Event)] needs a struct with named fields, which are written as the line's fields; for an event without payload write `struct Name {}`",
                    );
                    Vec::new()
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    "#[derive(Event)] needs a struct with named fields, not an enum: one event type has one payload schema; make each variant its own event struct",
                );
                Vec::new()
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "#[derive(Event)] needs a struct with named fields, not a union",
                );
                Vec::new()
            }
        };
        Container {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            fields,
        }
    }
}

impl<'a> Field<'a> {
    fn from_syn(cx: &mut Ctxt, field: &'a syn::Field, container: &attr::Container) -> Option<Self> {
        let ident = field.ident.as_ref()?;
        let attrs = attr::field(cx, &field.attrs);
        let plain = ident.unraw().to_string();
        let json_name = match (&attrs.rename, &container.serde.rename_all) {
            (Some(rename), _) => rename.value(),
            (None, Some(rule)) => attr::apply_rename_all(&rule.value(), &plain).unwrap_or(plain),
            (None, None) => plain,
        };
        Some(Field {
            ident,
            ty: &field.ty,
            attrs,
            json_name,
        })
    }
}
