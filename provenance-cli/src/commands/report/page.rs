//! The page: the template in `assets/report/` with its style, the data and
//! its script put in place of its three markers. Everything the page needs
//! is in the one file, so it opens offline and attached to a pull request.

/// The template: a whole HTML document with the three markers.
const TEMPLATE: &str = include_str!("../../../assets/report/report.html");
const STYLE: &str = include_str!("../../../assets/report/report.css");
const SCRIPT: &str = include_str!("../../../assets/report/report.js");

const STYLE_MARKER: &str = "<!--PROVENANCE:STYLE-->";
const DATA_MARKER: &str = "<!--PROVENANCE:DATA-->";
const SCRIPT_MARKER: &str = "<!--PROVENANCE:SCRIPT-->";

/// The page for `data` (the report's JSON). With `live`, the page also
/// fetches that URL (on its own origin) every two seconds and shows what
/// changed, keeping its view.
pub(crate) fn render(data: &str, live: Option<&str>) -> String {
    let mut page = String::with_capacity(TEMPLATE.len() + STYLE.len() + SCRIPT.len() + data.len());
    let (head, rest) = split(TEMPLATE, STYLE_MARKER);
    let (body, rest) = split(rest, DATA_MARKER);
    let (between, tail) = split(rest, SCRIPT_MARKER);
    page.push_str(head);
    page.push_str("<style>");
    page.push_str(STYLE);
    page.push_str("</style>");
    page.push_str(body);
    page.push_str(r#"<script type="application/json" id="provenance-data""#);
    if let Some(url) = live {
        page.push_str(r#" data-live=""#);
        push_attribute(&mut page, url);
        page.push('"');
    }
    page.push('>');
    // `<` escaped: no string in the data can close the script element.
    page.push_str(&data.replace('<', r"\u003c"));
    page.push_str("</script>");
    page.push_str(between);
    page.push_str("<script>");
    page.push_str(SCRIPT);
    page.push_str("</script>");
    page.push_str(tail);
    page
}

/// `text` around its one `marker`, which the template is tested to hold.
fn split<'t>(text: &'t str, marker: &str) -> (&'t str, &'t str) {
    text.split_once(marker)
        .unwrap_or_else(|| panic!("the report template has no {marker}"))
}

/// `value` escaped for a double-quoted attribute.
fn push_attribute(page: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => page.push_str("&amp;"),
            '"' => page.push_str("&quot;"),
            '<' => page.push_str("&lt;"),
            c => page.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_holds_each_marker_once_in_order() {
        let at = |marker: &str| {
            assert_eq!(TEMPLATE.matches(marker).count(), 1, "{marker}");
            TEMPLATE.find(marker).unwrap()
        };
        assert!(at(STYLE_MARKER) < at(DATA_MARKER));
        assert!(at(DATA_MARKER) < at(SCRIPT_MARKER));
    }

    #[test]
    fn data_cannot_close_its_script_element() {
        let page = render(r#"{"x":"</script><script>alert(1)</script>"}"#, None);
        assert_eq!(page.matches("</script>").count(), 2);
        assert!(page.contains(r#"{"x":"\u003c/script>\u003cscript>alert(1)\u003c/script>"}"#));
    }

    #[test]
    fn a_live_page_names_its_data_url() {
        let page = render("{}", Some("/data.json?a=1&b=\"2\""));
        assert!(page.contains(r#"data-live="/data.json?a=1&amp;b=&quot;2&quot;">{}"#));
    }
}
