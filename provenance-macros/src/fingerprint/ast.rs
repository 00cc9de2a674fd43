//! The derive's own small syntax tree: the input type's shape, with every
//! `#[fingerprint(...)]` attribute already parsed.

use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Index, LitStr, Member, Type};

use super::attr;
use crate::ctxt::Ctxt;

pub(crate) struct Input<'a> {
    pub original: &'a DeriveInput,
    pub attrs: attr::Container,
    /// `None` for a union, which has no fingerprint (the error is recorded).
    pub body: Option<Body<'a>>,
}

pub(crate) enum Body<'a> {
    Struct(Struct<'a>),
    Enum(Vec<Variant<'a>>),
}

/// A struct, or the payload of one enum variant.
pub(crate) struct Struct<'a> {
    pub style: Style,
    pub fields: Vec<Field<'a>>,
}

/// The three shapes a struct or variant can have; each has its own encoding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `{ a: A, b: B }`
    Named,
    /// `(A, B)`
    Tuple,
    /// no fields, no brackets
    Unit,
}

pub(crate) struct Variant<'a> {
    pub original: &'a syn::Variant,
    pub attrs: attr::Variant,
    pub payload: Struct<'a>,
}

pub(crate) struct Field<'a> {
    pub original: &'a syn::Field,
    pub attrs: attr::Field,
    /// `self.<member>`: the field's name, or its position in a tuple struct.
    pub member: Member,
    /// The field's position among all fields, skipped ones included.
    pub index: usize,
    pub ty: &'a Type,
}

impl<'a> Input<'a> {
    pub(crate) fn from_syn(cx: &mut Ctxt, node: &'a DeriveInput) -> Self {
        let attrs = attr::container(cx, &node.attrs);
        let body = match &node.data {
            Data::Struct(data) => Some(Body::Struct(Struct::from_syn(cx, &data.fields))),
            Data::Enum(data) => Some(Body::Enum(
                data.variants
                    .iter()
                    .map(|variant| Variant::from_syn(cx, variant))
                    .collect(),
            )),
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "#[derive(Fingerprint)] does not support unions: which field holds the value \
                     is not known, so no stable encoding exists; implement Fingerprint by hand",
                );
                None
            }
        };
        Input {
            original: node,
            attrs,
            body,
        }
    }

    pub(crate) fn ident(&self) -> &'a Ident {
        &self.original.ident
    }

    pub(crate) fn generics(&self) -> &'a Generics {
        &self.original.generics
    }
}

impl<'a> Struct<'a> {
    fn from_syn(cx: &mut Ctxt, fields: &'a Fields) -> Self {
        let style = match fields {
            Fields::Named(_) => Style::Named,
            Fields::Unnamed(_) => Style::Tuple,
            Fields::Unit => Style::Unit,
        };
        let fields = fields
            .iter()
            .enumerate()
            .map(|(i, field)| Field::from_syn(cx, i, field))
            .collect();
        Struct { style, fields }
    }

    /// The fields that are written, in declaration order.
    pub(crate) fn written_fields(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields
            .iter()
            .filter(|field| field.attrs.skip.is_none())
    }
}

impl<'a> Variant<'a> {
    fn from_syn(cx: &mut Ctxt, node: &'a syn::Variant) -> Self {
        Variant {
            original: node,
            attrs: attr::variant(cx, &node.attrs),
            payload: Struct::from_syn(cx, &node.fields),
        }
    }

    pub(crate) fn ident(&self) -> &'a Ident {
        &self.original.ident
    }

    /// The name written into the fingerprint: the `rename`, or the
    /// variant's own name (without `r#`).
    pub(crate) fn name(&self) -> String {
        name_of(self.ident(), self.attrs.rename.as_ref().map(|r| &r.value))
    }
}

impl<'a> Field<'a> {
    fn from_syn(cx: &mut Ctxt, i: usize, node: &'a syn::Field) -> Self {
        let member = match &node.ident {
            Some(ident) => Member::Named(ident.clone()),
            None => Member::Unnamed(Index::from(i)),
        };
        Field {
            original: node,
            attrs: attr::field(cx, &node.attrs),
            member,
            index: i,
            ty: &node.ty,
        }
    }

    /// The name written into the fingerprint for a named field: the
    /// `rename`, or the field's own name (without `r#`). `None` for a tuple
    /// field, which is identified by its position.
    pub(crate) fn name(&self) -> Option<String> {
        let ident = self.original.ident.as_ref()?;
        Some(name_of(ident, self.attrs.rename.as_ref().map(|r| &r.value)))
    }
}

fn name_of(ident: &Ident, rename: Option<&LitStr>) -> String {
    match rename {
        Some(lit) => lit.value(),
        None => ident.unraw().to_string(),
    }
}
