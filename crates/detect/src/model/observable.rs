//! Observables: the indicators an alert carries (addresses, names, hashes, accounts) that
//! analysts pivot on, fingerprints key on and correlation groups by. Values are normalized on
//! construction so that `10.0.0.5` and ` 10.0.0.5 ` or `WS-01` and `ws-01` are one indicator;
//! which source field an observable came from is recorded in its OCSF `name`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// The kinds of indicator Palisade extracts, each mapped to an OCSF observable `type_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservableKind {
    Ip,
    Hostname,
    Domain,
    Url,
    FileHash,
    FileName,
    Email,
    User,
    Process,
}

impl ObservableKind {
    pub const ALL: [ObservableKind; 9] = [
        ObservableKind::Ip,
        ObservableKind::Hostname,
        ObservableKind::Domain,
        ObservableKind::Url,
        ObservableKind::FileHash,
        ObservableKind::FileName,
        ObservableKind::Email,
        ObservableKind::User,
        ObservableKind::Process,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObservableKind::Ip => "ip",
            ObservableKind::Hostname => "hostname",
            ObservableKind::Domain => "domain",
            ObservableKind::Url => "url",
            ObservableKind::FileHash => "file_hash",
            ObservableKind::FileName => "file_name",
            ObservableKind::Email => "email",
            ObservableKind::User => "user",
            ObservableKind::Process => "process",
        }
    }

    pub fn parse(text: &str) -> Option<ObservableKind> {
        let word = text.trim().to_ascii_lowercase();
        let aliased = match word.as_str() {
            "ip_address" | "ipv4" | "ipv6" | "address" => "ip",
            "host" => "hostname",
            "dns" | "fqdn" => "domain",
            "hash" | "filehash" | "sha256" | "sha1" | "md5" => "file_hash",
            "file" | "filename" => "file_name",
            "mailbox" | "email_address" => "email",
            "account" | "username" | "user_name" => "user",
            "process_name" => "process",
            other => other,
        };
        ObservableKind::ALL.into_iter().find(|k| k.as_str() == aliased)
    }

    /// The OCSF observable `type_id` (from the schema's type declarations; a domain is a
    /// `hostname_t` in OCSF).
    pub fn ocsf_type_id(self) -> u8 {
        match self {
            ObservableKind::Hostname | ObservableKind::Domain => 1,
            ObservableKind::Ip => 2,
            ObservableKind::User => 4,
            ObservableKind::Email => 5,
            ObservableKind::Url => 6,
            ObservableKind::FileName => 7,
            ObservableKind::FileHash => 8,
            ObservableKind::Process => 9,
        }
    }

    pub fn ocsf_type_caption(self) -> &'static str {
        match self {
            ObservableKind::Hostname | ObservableKind::Domain => "Hostname",
            ObservableKind::Ip => "IP Address",
            ObservableKind::User => "User Name",
            ObservableKind::Email => "Email Address",
            ObservableKind::Url => "URL String",
            ObservableKind::FileName => "File Name",
            ObservableKind::FileHash => "Hash",
            ObservableKind::Process => "Process Name",
        }
    }

    /// Reads an OCSF observable type id back; a hostname-typed one named like a domain is a
    /// domain.
    pub fn from_ocsf(type_id: i64, name: &str) -> Option<ObservableKind> {
        let kind = match type_id {
            1 if name.contains("domain") => ObservableKind::Domain,
            1 => ObservableKind::Hostname,
            2 => ObservableKind::Ip,
            4 => ObservableKind::User,
            5 => ObservableKind::Email,
            6 => ObservableKind::Url,
            7 => ObservableKind::FileName,
            8 => ObservableKind::FileHash,
            9 => ObservableKind::Process,
            _ => return None,
        };
        Some(kind)
    }
}

impl fmt::Display for ObservableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One indicator: its kind, normalized value and the OCSF `name` (where it was found).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Observable {
    kind: ObservableKind,
    value: String,
    name: String,
}

impl Observable {
    /// Builds an observable, or `None` when the value is empty or not of its kind (an IP field
    /// holding `-` or `N/A`, as Windows and Splunk write for "none").
    pub fn new(kind: ObservableKind, name: &str, value: &str) -> Option<Observable> {
        let value = normalize(kind, value)?;
        Some(Observable { kind, value, name: name.to_string() })
    }

    pub fn kind(&self) -> ObservableKind {
        self.kind
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

fn normalize(kind: ObservableKind, raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || matches!(trimmed, "-" | "N/A" | "n/a" | "null" | "unknown") {
        return None;
    }
    match kind {
        ObservableKind::Ip => {
            let address: IpAddr = trimmed.trim_start_matches("::ffff:").parse().ok()?;
            Some(address.to_string())
        }
        ObservableKind::Hostname | ObservableKind::Domain | ObservableKind::Email => {
            Some(trimmed.trim_end_matches('.').to_ascii_lowercase())
        }
        ObservableKind::FileHash => {
            let hash = trimmed.rsplit('=').next().unwrap_or(trimmed);
            hash.chars().all(|c| c.is_ascii_hexdigit()).then(|| hash.to_ascii_lowercase())
        }
        // Windows accounts and paths are case-insensitive; the lowercase form keeps `CORP\Alice`
        // and `corp\alice` one indicator.
        ObservableKind::User | ObservableKind::Process | ObservableKind::FileName => {
            Some(trimmed.to_ascii_lowercase())
        }
        ObservableKind::Url => Some(trimmed.to_string()),
    }
}
