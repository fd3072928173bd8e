//! Port specs: which TCP ports a scan connects to, written as a list of ports and ranges
//! (`22,80,8000-8100`), a profile (`top-100`, `top-1000`, `all`), or both (`top-100,8443`).
//!
//! A parsed spec is normalized (sorted, deduplicated, adjacent ranges merged, every port from 1 to
//! 65535), so two spellings of one set compare and print equal; its text is the canonical form.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::top_ports::TOP_1000;

/// A non-empty set of TCP ports. Only made by [`PortSpec::parse`] or [`PortSpec::from_ports`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PortSpec {
    /// Sorted, disjoint and non-adjacent inclusive ranges.
    ranges: Vec<(u16, u16)>,
}

/// The named port sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortProfile {
    /// The 100 most frequently open TCP ports.
    Top100,
    /// The 1,000 most frequently open TCP ports.
    Top1000,
    /// Every port, 1 to 65535.
    All,
}

/// Why a text is not a port spec. Messages quote the offending item.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PortSpecError {
    #[error(
        "the port spec is empty; write ports such as `22,80,8000-8100` or a profile (top-100, top-1000, all)"
    )]
    Empty,
    #[error("the port spec `{spec}` has an empty item (a stray comma)")]
    EmptyItem { spec: String },
    #[error(
        "`{item}` is not a port number, a range such as 8000-8100, nor a profile (top-100, top-1000, all)"
    )]
    NotAPort { item: String },
    #[error("port `{item}` is out of range; ports are numbered 1 to 65535")]
    OutOfRange { item: String },
    #[error("the range `{item}` runs backwards; write the lower port first")]
    Reversed { item: String },
}

impl PortProfile {
    pub fn parse(name: &str) -> Option<PortProfile> {
        match name {
            "top-100" => Some(PortProfile::Top100),
            "top-1000" => Some(PortProfile::Top1000),
            "all" => Some(PortProfile::All),
            _ => None,
        }
    }
}

impl PortSpec {
    /// Parses a comma-separated list of ports, ranges and profiles; spaces around items are
    /// allowed, empty items are not.
    pub fn parse(text: &str) -> Result<PortSpec, PortSpecError> {
        if text.trim().is_empty() {
            return Err(PortSpecError::Empty);
        }
        let mut ranges = Vec::new();
        for item in text.split(',').map(str::trim) {
            if item.is_empty() {
                return Err(PortSpecError::EmptyItem { spec: text.to_owned() });
            }
            match PortProfile::parse(item) {
                Some(profile) => ranges.extend(profile_ranges(profile)),
                None => ranges.push(parse_item(item)?),
            }
        }
        Ok(PortSpec::normalized(ranges))
    }

    /// The spec of exactly these ports; port 0 and an empty list are refused.
    pub fn from_ports(ports: impl IntoIterator<Item = u16>) -> Result<PortSpec, PortSpecError> {
        let mut ranges = Vec::new();
        for port in ports {
            if port == 0 {
                return Err(PortSpecError::OutOfRange { item: "0".to_owned() });
            }
            ranges.push((port, port));
        }
        if ranges.is_empty() {
            return Err(PortSpecError::Empty);
        }
        Ok(PortSpec::normalized(ranges))
    }

    pub fn profile(profile: PortProfile) -> PortSpec {
        PortSpec::normalized(profile_ranges(profile).collect())
    }

    /// How many ports the spec holds.
    pub fn len(&self) -> usize {
        self.ranges.iter().map(|(first, last)| usize::from(last - first) + 1).sum()
    }

    /// Always false: a spec holds at least one port.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn contains(&self, port: u16) -> bool {
        self.ranges.iter().any(|(first, last)| (*first..=*last).contains(&port))
    }

    /// The ports in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.ranges.iter().flat_map(|(first, last)| *first..=*last)
    }

    fn normalized(mut ranges: Vec<(u16, u16)>) -> PortSpec {
        ranges.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
        for (first, last) in ranges {
            match merged.last_mut() {
                Some(previous) if u32::from(first) <= u32::from(previous.1) + 1 => {
                    previous.1 = previous.1.max(last);
                }
                _ => merged.push((first, last)),
            }
        }
        PortSpec { ranges: merged }
    }
}

fn profile_ranges(profile: PortProfile) -> impl Iterator<Item = (u16, u16)> {
    let listed: &'static [u16] = match profile {
        PortProfile::Top100 => &TOP_1000[..100],
        PortProfile::Top1000 => &TOP_1000,
        PortProfile::All => &[],
    };
    let everything = (profile == PortProfile::All).then_some((1, u16::MAX));
    listed.iter().map(|port| (*port, *port)).chain(everything)
}

fn parse_item(item: &str) -> Result<(u16, u16), PortSpecError> {
    match item.split_once('-') {
        None => parse_port(item, item).map(|port| (port, port)),
        Some((first, last)) => {
            let (first, last) = (parse_port(first, item)?, parse_port(last, item)?);
            if first > last {
                return Err(PortSpecError::Reversed { item: item.to_owned() });
            }
            Ok((first, last))
        }
    }
}

/// One port number, decimal digits only (no sign, no spaces inside a range).
fn parse_port(digits: &str, item: &str) -> Result<u16, PortSpecError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PortSpecError::NotAPort { item: item.to_owned() });
    }
    match digits.parse::<u32>() {
        Ok(port @ 1..=65535) => Ok(u16::try_from(port).unwrap_or(u16::MAX)),
        _ => Err(PortSpecError::OutOfRange { item: item.to_owned() }),
    }
}

impl FromStr for PortSpec {
    type Err = PortSpecError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PortSpec {
    type Error = PortSpecError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PortSpec> for String {
    fn from(value: PortSpec) -> Self {
        value.to_string()
    }
}

impl fmt::Display for PortSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (first, last)) in self.ranges.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            if first == last { write!(f, "{first}")? } else { write!(f, "{first}-{last}")? }
        }
        Ok(())
    }
}
