//! Plain rows from surface's JSON: a snapshot document (hosts → open ports → service hint → TLS)
//! as the hosts, ports and certificates tables of an asset's page, and a change's `before` and
//! `after` values (`{"type": "port" | "service" | …, "value": …}`) as short sentences. Reading
//! only; a field that is missing shows as empty rather than failing the page.

use serde_json::Value;
use surface::model::{Change, ScanProgress};

pub struct PortRow {
    pub port: String,
    pub service: String,
    pub tls: String,
}

pub struct HostRow {
    pub address: String,
    pub server_name: String,
    pub all_ports_open: bool,
    pub ports: Vec<PortRow>,
}

pub struct CertificateRow {
    pub at: String,
    pub subject: String,
    pub names: String,
    pub issuer: String,
    pub not_after: String,
    pub fingerprint: String,
    pub key: String,
    pub flags: String,
}

/// What a snapshot shows: hosts with their open ports, and every certificate seen.
#[derive(Default)]
pub struct SnapshotView {
    pub hosts: Vec<HostRow>,
    pub certificates: Vec<CertificateRow>,
}

fn text(value: &Value, pointer: &str) -> String {
    match value.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn items<'a>(value: &'a Value, pointer: &str) -> impl Iterator<Item = &'a Value> {
    value.pointer(pointer).and_then(Value::as_array).into_iter().flatten()
}

/// `ssh OpenSSH_9.6 over TLS`, or `unknown` when no hint was had.
pub fn service(hint: &Value) -> String {
    if hint.is_null() {
        return "unknown".into();
    }
    let mut words = vec![text(hint, "/protocol")];
    words.push(text(hint, "/product"));
    if hint.pointer("/tls").and_then(Value::as_bool) == Some(true) {
        words.push("over TLS".into());
    }
    words.retain(|w| !w.is_empty());
    words.join(" ")
}

fn flags(list: &Value) -> String {
    let names: Vec<String> = items(list, "").map(|f| text(f, "").replace('_', " ")).collect();
    if names.is_empty() { "none".into() } else { names.join(", ") }
}

fn alt_names(certificate: &Value) -> String {
    items(certificate, "/subject_alt_names")
        .filter_map(|name| name.as_object()?.values().next().map(|v| text(v, "")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn key(certificate: &Value) -> String {
    let bits = text(certificate, "/key/bits");
    let bits = if bits.is_empty() { bits } else { format!("{bits}-bit") };
    let words = [text(certificate, "/key/algorithm"), bits, text(certificate, "/key/curve")];
    words.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn date(value: &Value, pointer: &str) -> String {
    let raw = text(value, pointer);
    chrono::DateTime::parse_from_rfc3339(&raw)
        .map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or(raw)
}

/// A certificate in one line: its subject, fingerprint's start and expiry.
fn certificate_line(certificate: &Value) -> String {
    let fingerprint = text(certificate, "/sha256_fingerprint");
    format!(
        "{} (SHA-256 {}…, valid to {})",
        text(certificate, "/subject"),
        fingerprint.get(..16).unwrap_or(&fingerprint),
        date(certificate, "/not_after")
    )
}

pub fn snapshot(document: &Value) -> SnapshotView {
    let mut view = SnapshotView::default();
    for host in items(document, "/hosts") {
        let address = text(host, "/address");
        let mut ports = Vec::new();
        for port in items(host, "/ports") {
            let number = text(port, "/port");
            let tls = port.pointer("/tls").filter(|t| !t.is_null());
            if let Some(tls) = tls {
                let certificate = tls.pointer("/certificate").unwrap_or(&Value::Null);
                view.certificates.push(CertificateRow {
                    at: format!("{address}:{number}"),
                    subject: text(certificate, "/subject"),
                    names: alt_names(certificate),
                    issuer: text(certificate, "/issuer"),
                    not_after: date(certificate, "/not_after"),
                    fingerprint: text(certificate, "/sha256_fingerprint"),
                    key: key(certificate),
                    flags: flags(tls.pointer("/flags").unwrap_or(&Value::Null)),
                });
            }
            ports.push(PortRow {
                service: service(port.pointer("/service").unwrap_or(&Value::Null)),
                tls: tls
                    .map(|t| {
                        format!("{} {}", text(t, "/protocol_version"), text(t, "/cipher_suite"))
                    })
                    .unwrap_or_default(),
                port: number,
            });
        }
        view.hosts.push(HostRow {
            server_name: text(host, "/server_name"),
            all_ports_open: host.pointer("/all_ports_open").and_then(Value::as_bool) == Some(true),
            address,
            ports,
        });
    }
    view
}

/// A change's `before` or `after` in words; `—` when there is none.
pub fn observed(value: Option<&Value>) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else { return "—".into() };
    let inner = value.pointer("/value").unwrap_or(&Value::Null);
    match text(value, "/type").as_str() {
        "host" if inner.pointer("/all_ports_open").and_then(Value::as_bool) == Some(true) => {
            "answers on (nearly) every port".into()
        }
        "host" => {
            let ports: Vec<String> = items(inner, "/open_ports").map(|p| text(p, "")).collect();
            if ports.is_empty() {
                "no open port".into()
            } else {
                format!("open: {}", ports.join(", "))
            }
        }
        "port" => format!(
            "port {} ({})",
            text(inner, "/port"),
            service(inner.pointer("/service").unwrap_or(&Value::Null))
        ),
        "service" => service(inner),
        "certificate" => certificate_line(inner),
        "flags" => flags(inner),
        "expiry" => format!(
            "{} days left (valid to {}) for {}",
            text(inner, "/days_left"),
            date(inner, "/not_after"),
            text(inner, "/subject")
        ),
        _ => value.to_string(),
    }
}

/// A change as a table row.
pub struct ChangeRow {
    pub change: Change,
    pub severity_class: &'static str,
    /// Where: `address:port (name)`.
    pub place: String,
    pub before: String,
    pub after: String,
}

impl From<Change> for ChangeRow {
    fn from(change: Change) -> Self {
        let mut place = change.address.clone();
        if let Some(port) = change.port {
            place = format!("{place}:{port}");
        }
        if let Some(name) = &change.server_name {
            place = format!("{place} ({name})");
        }
        ChangeRow {
            severity_class: super::severity_class(&change.severity),
            before: observed(change.before.as_ref()),
            after: observed(change.after.as_ref()),
            place,
            change,
        }
    }
}

/// How far a scan got, 0 to 100.
pub fn percent(progress: &ScanProgress) -> i64 {
    match progress.total {
        total if total <= 0 => 0,
        total => (progress.done.saturating_mul(100) / total).clamp(0, 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_snapshot_becomes_hosts_ports_and_certificates() {
        let document = json!({"scope": {}, "hosts": [{"address": "192.0.2.1", "all_ports_open": false,
        "ports": [
            {"port": 22, "service": {"protocol": "ssh", "product": "OpenSSH_9.6", "tls": false}, "tls": null},
            {"port": 443, "service": {"protocol": "http", "tls": true}, "tls": {
                "protocol_version": "TLSv1.3", "cipher_suite": "TLS13_AES_128_GCM_SHA256",
                "certificate": {"subject": "CN=web.example", "subject_alt_names": [{"dns": "web.example"}],
                    "issuer": "CN=ca", "serial": "1", "not_before": "2025-01-01T00:00:00Z",
                    "not_after": "2090-01-01T00:00:00Z", "sha256_fingerprint": "ab".repeat(32),
                    "key": {"algorithm": "EC", "curve": "P-256"}, "signature_algorithm": "ecdsa-with-SHA256"},
                "chain": [], "flags": ["self_signed"]}}
        ]}]});
        let view = snapshot(&document);
        assert_eq!(view.hosts.len(), 1);
        assert_eq!(view.hosts[0].ports[0].service, "ssh OpenSSH_9.6");
        assert_eq!(view.hosts[0].ports[1].service, "http over TLS");
        let certificate = &view.certificates[0];
        assert_eq!(certificate.at, "192.0.2.1:443");
        assert_eq!(
            (certificate.names.as_str(), certificate.flags.as_str()),
            ("web.example", "self signed")
        );
        assert_eq!(
            (certificate.not_after.as_str(), certificate.key.as_str()),
            ("2090-01-01", "EC P-256")
        );
    }

    #[test]
    fn change_values_read_as_words() {
        let port = json!({"type": "port", "value": {"port": 22, "service": {"protocol": "ssh"}, "tls": null}});
        assert_eq!(observed(Some(&port)), "port 22 (ssh)");
        let host =
            json!({"type": "host", "value": {"all_ports_open": false, "open_ports": [22, 80]}});
        assert_eq!(observed(Some(&host)), "open: 22, 80");
        assert_eq!(observed(None), "—");
        let none = json!({"type": "service", "value": null});
        assert_eq!(observed(Some(&none)), "unknown");
    }
}
