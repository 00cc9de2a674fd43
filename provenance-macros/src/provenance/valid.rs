//! Rules that look at the options and the function together.

use super::ast::{Binding, Function};
use super::attr::{MarkerKind, Options};
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &mut Ctxt, options: &Options, function: &Function) {
    if let Some(constness) = &function.item.sig.constness {
        cx.error_spanned_by(
            constness,
            "#[provenance] cannot wrap a `const fn`: a run writes to the event log, which cannot \
             happen at compile time; remove `const` or the attribute",
        );
    }
    for param in &function.params {
        match (&param.marker, &param.binding) {
            (Some(marker), Binding::Pattern(pat)) if marker.kind != MarkerKind::Skip => {
                cx.error_spanned_by(
                    pat,
                    format!(
                        "`#[{}]` needs a named argument, to record it under that name: bind the \
                         whole value (`pair: (u32, u32)`) and destructure it in the body",
                        match marker.kind {
                            MarkerKind::Config => "config",
                            MarkerKind::FingerprintFile => "fingerprint(file)",
                            _ => "fingerprint",
                        }
                    ),
                );
            }
            (None, binding) if options.strict.is_some() => {
                let name = binding
                    .name()
                    .map_or_else(|| "this argument".to_string(), |n| format!("`{n}`"));
                cx.error_spanned_by(
                    &param.tokens,
                    format!(
                        "{name} is not recorded: under `strict`, mark every argument #[fingerprint], \
                         #[config], or #[provenance(skip)] to leave it out deliberately"
                    ),
                );
            }
            _ => {}
        }
    }
}
