//! Renderers of a [`Report`]: text for a terminal, JSON (the report itself, stable field names
//! documented in `docs/diffscan.md`, "Report format"), SARIF 2.1.0 for code-scanning services,
//! and one self-contained HTML page.
//!
//! A renderer only presents: it must not change a decision, drop a finding, or emit anything
//! from the diff without escaping it for its medium (a report may come from a signed artifact
//! written by another version, so nothing is assumed already safe).

mod html;
mod sarif;
mod text;

use std::fmt;
use std::str::FromStr;

pub use html::html;
pub use sarif::{SARIF_SCHEMA_URI, sarif};
pub use text::{TextStyle, text};

use crate::report::Report;

/// An output format of `palisade diffscan --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?} (expected text, json, sarif or html)")]
pub struct UnknownFormat(pub String);

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the report could not be serialized: {0}")]
    Json(#[from] serde_json::Error),
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Sarif, Format::Html];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Html => "html",
        }
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownFormat(name.chars().take(40).collect()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The report in `format`; text is rendered without colour.
pub fn render(report: &Report, format: Format) -> Result<String, RenderError> {
    Ok(match format {
        Format::Text => text(report, TextStyle::Plain),
        Format::Json => json(report)?,
        Format::Sarif => serde_json::to_string_pretty(&sarif(report))?,
        Format::Html => html(report),
    })
}

/// The report as pretty JSON with a trailing newline.
pub fn json(report: &Report) -> Result<String, RenderError> {
    let mut out = serde_json::to_string_pretty(report)?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_parse_in_any_case_and_unknown_ones_are_refused() {
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        assert_eq!(" text ".parse::<Format>(), Ok(Format::Text));
        assert!("xml".parse::<Format>().is_err());
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
    }
}
