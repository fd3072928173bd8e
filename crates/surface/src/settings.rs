//! How surface behaves: which nameservers it asks, how proof of authorization is checked and how
//! often again, how scans are paced and bounded, and the certificate expiry windows. Read from
//! the `[surface]` section of the configuration (and `PALISADE_SURFACE_*`); tests start from
//! `SurfaceSettings::default()` and point the nameservers and verification ports at their own
//! servers.

use platform::config::Source;
use std::net::SocketAddr;
use std::num::{NonZeroU32, NonZeroUsize};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct SurfaceSettings {
    /// The nameservers every lookup goes to (TXT challenges, reverse DNS, the addresses a scan
    /// connects to); empty: the system's (`/etc/resolv.conf`).
    pub nameservers: Vec<SocketAddr>,
    /// One DNS query may take this long (each nameserver, each attempt).
    pub dns_timeout: Duration,
    /// The port of the `http://` well-known file check (80 in production).
    pub verify_http_port: u16,
    /// The port of the `https://` well-known file check (443 in production).
    pub verify_https_port: u16,
    /// The whole of one proof check (lookups, connections, the response) takes at most this long.
    pub verify_timeout: Duration,
    /// How often the proof of an authorized asset is checked again.
    pub recheck_interval: Duration,
    /// The largest CIDR block reverse DNS may authorize (every address is looked up); larger
    /// blocks are authorized by an administrator's attestation.
    pub reverse_dns_max_addresses: u32,
    /// Assets one tenant may have.
    pub max_assets: i64,
    pub scan: ScanLimits,
    /// `CERT_EXPIRING` windows in days (a certificate is announced once per window).
    pub expiry_windows_days: Vec<u32>,
}

/// How the scanner runs in the worker.
#[derive(Clone, Debug)]
pub struct ScanLimits {
    /// Connection attempts in flight at once, per scan.
    pub concurrency: NonZeroUsize,
    pub connect_timeout: Duration,
    /// Further attempts at a port that did not answer.
    pub retries: u8,
    /// At most this many connection attempts start per second, per scan; `None`: no cap.
    pub connects_per_second: Option<NonZeroU32>,
    pub tls_timeout: Duration,
    /// A scan still running after this long is stopped and marked failed.
    pub max_duration: Duration,
    /// Addresses × ports one scan may try (a /16 of `all` ports is 4 billion).
    pub max_probes: u64,
}

impl Default for SurfaceSettings {
    fn default() -> Self {
        SurfaceSettings {
            nameservers: Vec::new(),
            dns_timeout: Duration::from_secs(3),
            verify_http_port: 80,
            verify_https_port: 443,
            verify_timeout: Duration::from_secs(10),
            recheck_interval: Duration::from_secs(24 * 3600),
            reverse_dns_max_addresses: 4096,
            max_assets: 10_000,
            scan: ScanLimits::default(),
            expiry_windows_days: vec![30],
        }
    }
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            concurrency: NonZeroUsize::new(512).unwrap_or(NonZeroUsize::MIN),
            connect_timeout: Duration::from_millis(1500),
            retries: 1,
            connects_per_second: None,
            tls_timeout: Duration::from_secs(5),
            max_duration: Duration::from_secs(4 * 3600),
            max_probes: 70_000_000,
        }
    }
}

impl SurfaceSettings {
    pub fn read(src: &mut Source<'_>) -> SurfaceSettings {
        let defaults = SurfaceSettings::default();
        SurfaceSettings {
            nameservers: src.parsed(
                "surface.dns.nameservers",
                &["PALISADE_SURFACE_DNS_NAMESERVERS"],
                Vec::new(),
                parse_nameservers,
            ),
            dns_timeout: src.seconds(
                "surface.dns.timeout_secs",
                &["PALISADE_SURFACE_DNS_TIMEOUT_SECS"],
                3,
                1..=60,
            ),
            verify_http_port: src.number(
                "surface.verification.http_port",
                &["PALISADE_SURFACE_VERIFICATION_HTTP_PORT"],
                80,
                1..=65535,
            ),
            verify_https_port: src.number(
                "surface.verification.https_port",
                &["PALISADE_SURFACE_VERIFICATION_HTTPS_PORT"],
                443,
                1..=65535,
            ),
            verify_timeout: src.seconds(
                "surface.verification.timeout_secs",
                &["PALISADE_SURFACE_VERIFICATION_TIMEOUT_SECS"],
                10,
                1..=120,
            ),
            recheck_interval: Duration::from_secs(
                3600 * src.number(
                    "surface.verification.recheck_hours",
                    &["PALISADE_SURFACE_VERIFICATION_RECHECK_HOURS"],
                    24,
                    1..=24 * 90,
                ),
            ),
            reverse_dns_max_addresses: src.number(
                "surface.verification.reverse_dns_max_addresses",
                &["PALISADE_SURFACE_VERIFICATION_REVERSE_DNS_MAX_ADDRESSES"],
                defaults.reverse_dns_max_addresses,
                1..=65_536,
            ),
            max_assets: src.number(
                "surface.max_assets",
                &["PALISADE_SURFACE_MAX_ASSETS"],
                defaults.max_assets,
                1..=1_000_000,
            ),
            scan: ScanLimits::read(src),
            expiry_windows_days: src.parsed(
                "surface.expiry_windows_days",
                &["PALISADE_SURFACE_EXPIRY_WINDOWS_DAYS"],
                defaults.expiry_windows_days,
                parse_windows,
            ),
        }
    }
}

impl ScanLimits {
    fn read(src: &mut Source<'_>) -> ScanLimits {
        let concurrency: usize = src.number(
            "surface.scan.concurrency",
            &["PALISADE_SURFACE_SCAN_CONCURRENCY"],
            512,
            1..=8192,
        );
        let per_second: u32 = src.number(
            "surface.scan.connects_per_second",
            &["PALISADE_SURFACE_SCAN_CONNECTS_PER_SECOND"],
            0,
            0..=1_000_000,
        );
        ScanLimits {
            concurrency: NonZeroUsize::new(concurrency).unwrap_or(NonZeroUsize::MIN),
            connect_timeout: Duration::from_millis(src.number(
                "surface.scan.connect_timeout_ms",
                &["PALISADE_SURFACE_SCAN_CONNECT_TIMEOUT_MS"],
                1500,
                50..=60_000,
            )),
            retries: src.number(
                "surface.scan.retries",
                &["PALISADE_SURFACE_SCAN_RETRIES"],
                1,
                0..=5,
            ),
            connects_per_second: NonZeroU32::new(per_second),
            tls_timeout: src.seconds(
                "surface.scan.tls_timeout_secs",
                &["PALISADE_SURFACE_SCAN_TLS_TIMEOUT_SECS"],
                5,
                1..=60,
            ),
            max_duration: src.seconds(
                "surface.scan.max_duration_secs",
                &["PALISADE_SURFACE_SCAN_MAX_DURATION_SECS"],
                4 * 3600,
                10..=7 * 24 * 3600,
            ),
            max_probes: src.number(
                "surface.scan.max_probes",
                &["PALISADE_SURFACE_SCAN_MAX_PROBES"],
                70_000_000,
                1..=5_000_000_000,
            ),
        }
    }
}

/// `127.0.0.1:5353, [::1]:53, 9.9.9.9` (port 53 when none is given).
fn parse_nameservers(text: &str) -> Result<Vec<SocketAddr>, String> {
    let mut servers = Vec::new();
    for item in text.split(',').map(str::trim).filter(|item| !item.is_empty()) {
        let server = item
            .parse::<SocketAddr>()
            .or_else(|_| item.parse::<std::net::IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
            .map_err(|_| format!("contains `{item}`, which is not an address or address:port"))?;
        servers.push(server);
    }
    Ok(servers)
}

/// `30, 7`: whole days from 1 to 365.
fn parse_windows(text: &str) -> Result<Vec<u32>, String> {
    let mut windows = Vec::new();
    for item in text.split(',').map(str::trim) {
        match item.parse::<u32>() {
            Ok(days @ 1..=365) if !windows.contains(&days) => windows.push(days),
            _ => return Err("is not a list of distinct whole days from 1 to 365".into()),
        }
    }
    Ok(windows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn nameservers_take_a_port_or_default_to_53() {
        let parsed = parse_nameservers("127.0.0.1:5353, ::1, [::1]:54").unwrap_or_default();
        let text: Vec<String> = parsed.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["127.0.0.1:5353", "[::1]:53", "[::1]:54"]);
        assert!(parse_nameservers("dns.example").is_err());
    }

    #[test]
    fn every_setting_is_read_from_the_environment() {
        let env: HashMap<String, String> = [
            ("PALISADE_SURFACE_DNS_NAMESERVERS", "10.0.0.53"),
            ("PALISADE_SURFACE_EXPIRY_WINDOWS_DAYS", "30,7"),
            ("PALISADE_SURFACE_SCAN_CONNECTS_PER_SECOND", "200"),
            ("PALISADE_SURFACE_VERIFICATION_RECHECK_HOURS", "6"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut src = Source::empty(&env);
        let settings = SurfaceSettings::read(&mut src);
        assert!(src.finish().is_ok());
        assert_eq!(settings.nameservers.len(), 1);
        assert_eq!(settings.expiry_windows_days, [30, 7]);
        assert_eq!(settings.scan.connects_per_second.map(NonZeroU32::get), Some(200));
        assert_eq!(settings.recheck_interval, Duration::from_secs(6 * 3600));
    }

    #[test]
    fn bad_windows_are_refused() {
        assert!(parse_windows("0").is_err());
        assert!(parse_windows("30,30").is_err());
        assert!(parse_windows("x").is_err());
    }
}
