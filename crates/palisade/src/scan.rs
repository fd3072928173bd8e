//! `palisade scan <target…> [--ports SPEC] [--tls] [--json]`: the surface engine as a one-shot
//! command, with no database and no configuration. Domains are resolved with the system
//! resolver (the operator names what to scan; the server's SSRF guard is for tenants' assets).
//!
//! Output: with `--json`, JSON Lines on stdout, one `{"type":"host",…}` line per host as it
//! finishes and a closing `{"type":"summary",…}` line; otherwise one readable block per host
//! that answered. A progress bar is drawn on stderr when stdout is a terminal. Exit codes (the
//! engine's `run` module): 0 the scan ran (whatever it found), 1 nothing could be scanned, 2 bad
//! arguments, 130 interrupted by Ctrl-C (the hosts finished so far are printed).

use chrono::Utc;
use clap::Args;
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::num::{NonZeroU32, NonZeroUsize};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use surface_engine::run::{self, ScanRequest};
use surface_engine::scan::{
    AllOpenRule, CancellationToken, HostReport, OpenPort, Progress, ScanEvent, ScanOptions,
};
use surface_engine::snapshot::CertificateCheck;
use surface_engine::tls::TrustAnchors;
use surface_engine::values::{AssetValue, PortSpec, ScanTarget, Target};

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// What to scan: IP addresses, CIDR blocks (65,536 addresses in all at most) and domain
    /// names (resolved now; TLS is probed with the name as SNI).
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Ports: lists and ranges (`22,80,8000-8100`) and profiles (`top-100`, `top-1000`, `all`).
    #[arg(long, short = 'p', value_name = "SPEC", default_value = "top-1000")]
    pub ports: String,
    /// Run a TLS handshake on open ports and record the certificate chain and its flags.
    #[arg(long)]
    pub tls: bool,
    /// JSON Lines on stdout: a line per host as it finishes, then a summary line.
    #[arg(long)]
    pub json: bool,
    /// Do not read banners or send probes for service hints (faster on silent ports).
    #[arg(long)]
    pub no_hints: bool,
    /// How long one connection attempt waits, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1500, value_parser = clap::value_parser!(u64).range(50..=60_000))]
    pub timeout_ms: u64,
    /// Connection attempts in flight at once.
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=16_384))]
    pub concurrency: u64,
    /// At most this many connection attempts start per second (0: no cap).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rate: u32,
    /// Further attempts at a port that did not answer.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(0..=5))]
    pub retries: u8,
    /// A host with more open ports than this is reported as answering on every port (a WAF or
    /// SYN proxy), without a port list.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_open: usize,
    /// Likewise for a host on which more than this percentage of at least 20 scanned ports is
    /// open (100: never).
    #[arg(long, value_name = "PERCENT", default_value_t = 90, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub max_open_share: u8,
}

/// Runs the scan on a runtime of its own; never reads the configuration.
pub fn main(args: ScanArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("palisade scan: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(run(args))
}

pub async fn run(args: ScanArgs) -> ExitCode {
    let ports = match PortSpec::parse(&args.ports) {
        Ok(ports) => ports,
        Err(e) => return usage(&format!("--ports: {e}")),
    };
    let mut targets = Vec::new();
    let mut named = Vec::new();
    for text in &args.targets {
        match AssetValue::parse_any(text) {
            Ok(AssetValue::Ip(ip)) => targets.push(Target::Address(ip)),
            Ok(AssetValue::Cidr(cidr)) => targets.push(Target::Block(cidr)),
            Ok(AssetValue::Domain(domain)) => {
                match tokio::net::lookup_host((domain.as_str(), 0)).await {
                    Ok(found) => {
                        let before = named.len();
                        for address in found {
                            let target = ScanTarget::named(address.ip(), domain.clone());
                            if !named.contains(&target) {
                                named.push(target);
                            }
                        }
                        if named.len() == before {
                            eprintln!("palisade scan: {domain} has no addresses; skipped");
                        }
                    }
                    Err(e) => eprintln!("palisade scan: cannot resolve {domain}: {e}; skipped"),
                }
            }
            Err(e) => return usage(&e.to_string()),
        }
    }
    if targets.is_empty() && named.is_empty() {
        eprintln!("palisade scan: none of the targets resolved; nothing was scanned");
        return ExitCode::from(1);
    }
    let options = ScanOptions {
        concurrency: NonZeroUsize::new(usize::try_from(args.concurrency).unwrap_or(512))
            .unwrap_or(NonZeroUsize::MIN),
        connect_timeout: Duration::from_millis(args.timeout_ms),
        timeout_retries: args.retries,
        connects_per_second: NonZeroU32::new(args.rate),
        service_hints: !args.no_hints,
        tls: args.tls,
        all_open: AllOpenRule {
            max_open_ports: args.max_open,
            max_open_share_percent: args.max_open_share,
        },
        ..ScanOptions::default()
    };
    let request = ScanRequest { targets, named, ports, options };
    let cancel = CancellationToken::new();
    let interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            interrupt.cancel();
        }
    });
    let anchors = TrustAnchors::webpki_roots();
    let check = CertificateCheck { now: Utc::now(), anchors: &anchors };
    let mut bar = std::io::stdout().is_terminal().then(ProgressBar::default);
    let json = args.json;
    let started = Instant::now();
    let result = run::run_scan(&request, check, &cancel, |event| match event {
        ScanEvent::Progress(progress) => {
            if let Some(bar) = bar.as_mut() {
                bar.draw(progress);
            }
        }
        ScanEvent::Host(host) => {
            if let Some(bar) = bar.as_mut() {
                bar.clear();
            }
            print_host(host, json);
        }
    })
    .await;
    if let Some(bar) = bar.as_mut() {
        bar.clear();
    }
    let run = match result {
        Ok(run) => run,
        Err(e) => {
            eprintln!("palisade scan: {e}");
            return ExitCode::from(e.exit_code().code());
        }
    };
    let up = run.snapshot.hosts().len();
    let open: usize = run.snapshot.hosts().iter().map(|h| h.ports.len()).sum();
    let elapsed = started.elapsed();
    if json {
        let summary = json!({
            "type": "summary",
            "hosts_scanned": run.hosts.len(),
            "hosts_up": up,
            "open_ports": open,
            "cancelled": run.cancelled,
            "duration_ms": u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            "snapshot_sha256": run.snapshot.sha256(),
        });
        println!("{summary}");
    } else {
        let note = if run.cancelled { " (interrupted)" } else { "" };
        eprintln!(
            "{} host(s) scanned, {up} up, {open} open port(s) in {:.2} s{note}",
            run.hosts.len(),
            elapsed.as_secs_f64()
        );
    }
    let _ = std::io::stdout().flush();
    ExitCode::from(run.exit_code().code())
}

fn usage(message: &str) -> ExitCode {
    eprintln!("palisade scan: {message}");
    ExitCode::from(run::ExitCode::BadArguments.code())
}

fn print_host(host: &HostReport, json: bool) {
    if json {
        let mut line = serde_json::to_value(host).unwrap_or_default();
        if let Some(object) = line.as_object_mut() {
            object.insert("type".into(), json!("host"));
        }
        println!("{line}");
        return;
    }
    if !host.answered() && host.failure.is_none() {
        return;
    }
    let name = host.target.server_name().map(|n| format!(" ({n})")).unwrap_or_default();
    let counts = host.counts;
    println!(
        "{}{name}: {} open, {} closed, {} filtered of {} port(s){}",
        host.target.address(),
        counts.open,
        counts.closed,
        counts.filtered,
        counts.scanned,
        if host.all_ports_open {
            " — answers on every port (WAF or SYN proxy); ports not listed"
        } else {
            ""
        }
    );
    if let Some(failure) = &host.failure {
        println!("  {} port(s) could not be tried: {failure}", counts.failed);
    }
    for port in &host.open {
        println!("  {}", describe_port(port));
    }
}

fn describe_port(port: &OpenPort) -> String {
    let service = port.service.as_ref().map_or_else(
        || "unknown".to_string(),
        |hint| {
            let tls = if hint.tls && hint.protocol != surface_engine::service::Protocol::Tls {
                "+tls"
            } else {
                ""
            };
            let product = hint.product.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
            format!("{}{tls}{product}", hint.protocol)
        },
    );
    let mut text = format!("{:>5}/tcp  {service}", port.port);
    if let Some(leaf) = port.tls.as_ref().and_then(|tls| tls.leaf()) {
        let summary = &leaf.summary;
        text.push_str(&format!(
            "\n           {} {}, {}, expires {}",
            port.tls.as_ref().map(|t| t.protocol_version.as_str()).unwrap_or_default(),
            port.tls.as_ref().map(|t| t.cipher_suite.as_str()).unwrap_or_default(),
            summary.subject,
            summary.not_after.format("%Y-%m-%d"),
        ));
    }
    if let Some(error) = &port.tls_error {
        text.push_str(&format!("\n           TLS failed: {error}"));
    }
    text
}

/// A one-line bar on stderr, redrawn in place.
#[derive(Default)]
struct ProgressBar {
    drawn: bool,
}

impl ProgressBar {
    const WIDTH: u64 = 30;

    fn draw(&mut self, progress: Progress) {
        let total = progress.total.max(1);
        let filled = (progress.done.min(total) * Self::WIDTH / total) as usize;
        let bar = format!("{}{}", "#".repeat(filled), ".".repeat(Self::WIDTH as usize - filled));
        let percent = progress.done.min(total) * 100 / total;
        eprint!("\r[{bar}] {percent:>3}%  {}/{} ports", progress.done, progress.total);
        let _ = std::io::stderr().flush();
        self.drawn = true;
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r{}\r", " ".repeat(Self::WIDTH as usize + 40));
            let _ = std::io::stderr().flush();
            self.drawn = false;
        }
    }
}
