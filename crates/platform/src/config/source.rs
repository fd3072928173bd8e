//! `Source`, the reader every settings section reads itself from: it looks a setting up in the
//! environment, then in the TOML file, then falls back to its default; parses it; and remembers
//! every failure so that all of them are reported together by `finish`. Keys nobody read are
//! reported as unknown settings (usually a typo).

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::str::FromStr;

/// Every problem found in the configuration, one line each.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<String>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid configuration:")?;
        for line in &self.0 {
            writeln!(f, "  - {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Where a value came from, so the message names what the user has to change.
pub enum Origin<'a> {
    Env(&'a str),
    File,
    Both,
}

pub struct Source<'a> {
    file_name: &'a str,
    table: toml::Table,
    env: &'a HashMap<String, String>,
    /// Keys of the file not consumed by any setting: reported as unknown (usually a typo).
    unread: BTreeSet<String>,
    errors: Vec<String>,
}

impl<'a> Source<'a> {
    pub fn new(
        file_name: &'a str,
        toml_text: &str,
        env: &'a HashMap<String, String>,
    ) -> Result<Self, ConfigErrors> {
        let table: toml::Table = toml_text
            .parse()
            .map_err(|e: toml::de::Error| ConfigErrors(vec![format!("{file_name}: {e}")]))?;
        let mut unread = BTreeSet::new();
        collect_keys("", &table, &mut unread);
        Ok(Self { file_name, table, env, unread, errors: Vec::new() })
    }

    /// A source with no file: every setting comes from `env` or its default.
    pub fn empty(env: &'a HashMap<String, String>) -> Self {
        Self {
            file_name: "",
            table: toml::Table::new(),
            env,
            unread: BTreeSet::new(),
            errors: Vec::new(),
        }
    }

    pub fn finish(mut self) -> Result<(), ConfigErrors> {
        for key in std::mem::take(&mut self.unread) {
            self.errors.push(format!("{}: unknown setting `{key}`", self.file_name));
        }
        if self.errors.is_empty() { Ok(()) } else { Err(ConfigErrors(self.errors)) }
    }

    pub fn error(&mut self, key: &str, origin: Origin<'_>, message: &str) {
        let place = match origin {
            Origin::Env(var) => format!("{var} (setting `{key}`)"),
            Origin::File => format!("`{key}` in {}", self.file_name),
            Origin::Both => format!("`{key}`"),
        };
        self.errors.push(format!("{place}: {message}"));
    }

    /// The raw text of a setting and where it came from; `None` when it is not set anywhere.
    fn raw(&mut self, key: &str, env_vars: &[&'a str]) -> Option<(String, Origin<'a>)> {
        self.unread.remove(key);
        for var in env_vars {
            if let Some(value) = self.env.get(*var) {
                return Some((value.clone(), Origin::Env(var)));
            }
        }
        let mut node: Option<&toml::Value> = None;
        let mut table = &self.table;
        for (i, part) in key.split('.').enumerate() {
            let value = table.get(part)?;
            if i + 1 == key.split('.').count() {
                node = Some(value);
            } else {
                table = value.as_table()?;
            }
        }
        let text = match node? {
            toml::Value::String(s) => s.clone(),
            toml::Value::Array(items) => {
                items.iter().map(scalar_text).collect::<Vec<_>>().join(",")
            }
            other => scalar_text(other),
        };
        Some((text, Origin::File))
    }

    /// A setting parsed by `parse`, whose error message follows the value in the report (for
    /// example "is not a log format (json or text)").
    pub fn parsed<T>(
        &mut self,
        key: &str,
        env_vars: &[&'a str],
        default: T,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> T {
        match self.raw(key, env_vars) {
            None => default,
            Some((text, origin)) => match parse(text.trim()) {
                Ok(value) => value,
                Err(message) => {
                    self.error(key, origin, &format!("`{text}` {message}"));
                    default
                }
            },
        }
    }

    pub fn string(&mut self, key: &str, env: &[&'a str], default: &str) -> String {
        self.parsed(key, env, default.to_string(), non_empty)
    }

    pub fn optional_string(&mut self, key: &str, env: &[&'a str]) -> Option<String> {
        self.parsed(key, env, None, |s| non_empty(s).map(Some))
    }

    pub fn secret_of_at_least_32(&mut self, key: &str, env: &[&'a str]) -> Option<String> {
        match self.raw(key, env) {
            None => None,
            Some((text, _)) if text.len() >= 32 => Some(text),
            Some((_, origin)) => {
                // The value is a secret: the message must not repeat it.
                self.error(key, origin, "must be at least 32 bytes long");
                None
            }
        }
    }

    pub fn outbound_policy(
        &mut self,
        key: &str,
        env: &[&'a str],
    ) -> crate::outbound::OutboundPolicy {
        self.parsed(key, env, crate::outbound::OutboundPolicy::deny_private(), |text| {
            crate::outbound::OutboundPolicy::parse_allowlist(text)
                .map_err(|e| format!("is not a list of CIDRs: {e}"))
        })
    }

    /// A base64 key of exactly 32 bytes, kept as its text; the value never appears in messages.
    pub fn base64_key(&mut self, key: &str, env: &[&'a str]) -> Option<String> {
        use base64::Engine;
        let (text, origin) = self.raw(key, env)?;
        match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
            Ok(bytes) if bytes.len() == 32 => Some(text.trim().to_string()),
            _ => {
                self.error(key, origin, "must be the base64 encoding of exactly 32 bytes");
                None
            }
        }
    }

    pub fn path(&mut self, key: &str, env: &[&'a str], default: &str) -> PathBuf {
        PathBuf::from(self.string(key, env, default))
    }

    pub fn socket_addr(&mut self, key: &str, env: &[&'a str], default: &str) -> SocketAddr {
        let fallback = SocketAddr::from(([0, 0, 0, 0], 0));
        let default = default.parse().unwrap_or(fallback);
        self.parsed(key, env, default, parse_socket_addr)
    }

    pub fn optional_socket_addr(
        &mut self,
        key: &str,
        env: &[&'a str],
        default: &str,
    ) -> Option<SocketAddr> {
        let default = default.parse().ok();
        self.parsed(key, env, default, |s| match s {
            "off" | "" => Ok(None),
            other => parse_socket_addr(other).map(Some),
        })
    }

    pub fn number<T>(
        &mut self,
        key: &str,
        env: &[&'a str],
        default: T,
        range: RangeInclusive<T>,
    ) -> T
    where
        T: FromStr + PartialOrd + Copy + fmt::Display,
    {
        self.parsed(key, env, default, |s| match s.replace('_', "").parse::<T>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => {
                Err(format!("is not a whole number between {} and {}", range.start(), range.end()))
            }
        })
    }

    /// A whole number of seconds in `range`, as a duration.
    pub fn seconds(
        &mut self,
        key: &str,
        env: &[&'a str],
        default: u64,
        range: RangeInclusive<u64>,
    ) -> std::time::Duration {
        std::time::Duration::from_secs(self.number(key, env, default, range))
    }

    pub fn boolean(&mut self, key: &str, env: &[&'a str], default: bool) -> bool {
        self.parsed(key, env, default, |s| match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err("is not a boolean (true or false)".into()),
        })
    }

    pub fn hostnames(&mut self, key: &str, env: &[&'a str], default: &str) -> Vec<String> {
        self.parsed(key, env, vec![default.to_string()], |s| {
            let names: Vec<String> = s
                .split(',')
                .map(|n| n.trim().to_ascii_lowercase())
                .filter(|n| !n.is_empty())
                .collect();
            if names.is_empty() {
                return Err("must name at least one host".into());
            }
            match names.iter().find(|n| !is_host_name(n)) {
                Some(bad) => {
                    Err(format!("contains `{bad}`, which is not a host name or IP address"))
                }
                None => Ok(names),
            }
        })
    }
}

/// The text of a TOML scalar as a user would have typed it in an environment variable.
fn scalar_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(_) | toml::Value::Table(_) => "<nested value>".to_string(),
    }
}

fn non_empty(s: &str) -> Result<String, String> {
    if s.is_empty() { Err("must not be empty".into()) } else { Ok(s.to_string()) }
}

fn parse_socket_addr(s: &str) -> Result<SocketAddr, String> {
    s.parse().map_err(|_| "is not an address and port such as 0.0.0.0:8443 or [::]:8443".into())
}

fn is_host_name(name: &str) -> bool {
    if name.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*')
        })
}

fn collect_keys(prefix: &str, table: &toml::Table, out: &mut BTreeSet<String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::Table(inner) => collect_keys(&full, inner, out),
            _ => {
                out.insert(full);
            }
        }
    }
}
