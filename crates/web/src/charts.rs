//! Charts as SVG written on the server: a bar chart with labelled, titled bars (screen readers
//! get each bar's label and value from its `<title>`; the caller adds the chart's own label).
//! Colours come from CSS classes so both themes apply; there is no script and no inline style,
//! which the console's content security policy would refuse.

use std::fmt::Write;

/// One bar: its label under the axis, its value, and the CSS class that colours it.
#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub class: &'static str,
}

const HEIGHT: i64 = 120;
const LABEL_SPACE: i64 = 18;

/// A bar chart `width` wide; every `label_every`th label is written (long series get crowded).
pub fn bars(name: &str, bars: &[Bar], width: i64, label_every: usize) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let slot = width / i64::try_from(bars.len().max(1)).unwrap_or(1);
    let bar_width = (slot * 7 / 10).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {width} {}" width="100%" height="{}">"#,
        escape(name),
        HEIGHT + LABEL_SPACE,
        HEIGHT + LABEL_SPACE
    );
    for (i, bar) in bars.iter().enumerate() {
        let x = i64::try_from(i).unwrap_or(0) * slot + (slot - bar_width) / 2;
        let h = if bar.value > 0 { (bar.value * (HEIGHT - 14) / max).max(2) } else { 0 };
        let y = HEIGHT - h;
        let _ = write!(
            svg,
            r#"<g><title>{}: {}</title><rect class="{}" x="{x}" y="{y}" width="{bar_width}" height="{h}"></rect>"#,
            escape(&bar.label),
            bar.value,
            bar.class
        );
        if bar.value > 0 {
            let _ = write!(
                svg,
                r#"<text class="value" x="{}" y="{}">{}</text>"#,
                x + bar_width / 2,
                y - 3,
                bar.value
            );
        }
        if label_every > 0 && i % label_every == 0 {
            let _ = write!(
                svg,
                r#"<text class="label" x="{}" y="{}">{}</text>"#,
                x + bar_width / 2,
                HEIGHT + LABEL_SPACE - 4,
                escape(&bar.label)
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// Text made safe inside SVG markup and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_the_svg() {
        let svg = bars("x", &[Bar { label: "<script>\"".into(), value: 3, class: "high" }], 100, 1);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&quot;"));
    }

    #[test]
    fn the_tallest_bar_is_as_tall_as_the_chart_allows_and_empty_ones_are_flat() {
        let svg = bars(
            "x",
            &[
                Bar { label: "a".into(), value: 0, class: "c" },
                Bar { label: "b".into(), value: 10, class: "c" },
            ],
            100,
            1,
        );
        assert!(svg.contains(r#"height="0""#));
        assert!(svg.contains(&format!(r#"height="{}""#, HEIGHT - 14)));
    }
}
