//! `palisade diffscan`: a one-shot scan of a diff for CI, and `palisade diffscan verify-artifact`,
//! which checks a signed result offline. Both use the engine only: no database, no network, no
//! configuration file (a CI job runs them without a server).
//!
//! Exit codes: a scan exits 0 on pass, 1 on fail, 2 on error (including bad arguments and files
//! that cannot be read); verification exits 0 when the artifact verifies, 1 when it does not, 2
//! when it cannot be read.
//!
//! `--git BASE..HEAD` runs `git diff` with everything a hostile repository could use to run code
//! turned off (external diff drivers, textconv filters, fsmonitor), and reads its output like any
//! other diff.

use base64::Engine as _;
use clap::{Args, Subcommand};
use diffscan_engine::render::{Format, TextStyle, json, sarif, text};
use diffscan_engine::{
    Baseline, Decision, Engine, Policy, VerificationKey, parse_pack, verify_artifact,
};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DiffscanArgs {
    #[command(subcommand)]
    pub command: Option<DiffscanCommand>,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Subcommand, Debug)]
pub enum DiffscanCommand {
    /// Check a signed result (a DSSE envelope of an in-toto statement) offline; exit 0 when it
    /// verifies, 1 when it does not, 2 when it cannot be read.
    VerifyArtifact(VerifyArgs),
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// The diff to scan; `-` (the default) reads standard input.
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
    /// Scan `git diff BASE..HEAD` (or `BASE...HEAD` from their merge base) of the repository in
    /// the working directory.
    #[arg(long, value_name = "BASE..HEAD", conflicts_with = "file")]
    pub git: Option<String>,
    /// text, json, sarif or html.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// A policy file (YAML or JSON): profile, exceptions, inline suppressions, on_error, limits.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// A baseline file: findings whose fingerprints it lists do not block.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// A rule pack to run beside the built-in rules (repeatable).
    #[arg(long = "rule-pack", value_name = "FILE")]
    pub rule_packs: Vec<PathBuf>,
    /// Write the report there instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a baseline accepting this scan's open findings.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The artifact (from `GET /v1/diffscans/{id}/artifact`).
    pub file: PathBuf,
    /// An ed25519 public key as base64 or hex, or a file holding one (repeatable; from
    /// `GET /v1/diffscan/signing-keys`).
    #[arg(long = "public-key", value_name = "KEY|FILE")]
    pub public_keys: Vec<String>,
    /// A file holding an HMAC-SHA256 key (base64 or hex), for installations signing with hmac.
    #[arg(long = "hmac-key-file", value_name = "FILE")]
    pub hmac_key_files: Vec<PathBuf>,
    /// Accept a signature by the public development key (it proves nothing: anyone can make one).
    #[arg(long)]
    pub allow_development_key: bool,
}

/// The exit status of an error, whatever the command.
const ERROR: u8 = 2;

pub fn run(args: &DiffscanArgs) -> ExitCode {
    match &args.command {
        Some(DiffscanCommand::VerifyArtifact(verify)) => verify_command(verify),
        None => match scan_command(&args.scan) {
            Ok(decision) => ExitCode::from(diffscan_engine::exit_code(decision)),
            Err(message) => fail(&message),
        },
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("palisade diffscan: {message}");
    ExitCode::from(ERROR)
}

fn read_text(path: &Path, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))
}

fn scan_command(args: &ScanArgs) -> Result<Decision, String> {
    let format: Format = args.format.parse().map_err(|e| format!("--format: {e}"))?;
    let policy = match &args.policy {
        Some(path) => Policy::parse(&read_text(path, "policy")?)
            .map_err(|e| format!("{}: {e}", path.display()))?,
        None => Policy::default(),
    };
    let baseline = match &args.baseline {
        Some(path) => Some(
            Baseline::parse(&read_text(path, "baseline")?)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        ),
        None => None,
    };
    let mut packs = Vec::new();
    for path in &args.rule_packs {
        let source = read_text(path, "rule pack")?;
        packs.push(parse_pack(&source, &path.display().to_string()).map_err(|e| e.to_string())?);
    }
    let engine = Engine::with_packs(packs).map_err(|e| e.to_string())?;
    let unknown = policy.unknown_rule_ids(engine.rule_set());
    if !unknown.is_empty() {
        return Err(format!("the policy names rules that do not exist: {}", unknown.join(", ")));
    }
    // One byte more than the limit is enough for the engine to refuse the diff as too large.
    let limit = policy.limits().max_total_bytes().saturating_add(1);
    let input = match (&args.git, &args.file) {
        (Some(range), _) => git_diff(range, limit)?,
        (None, Some(path)) if path.as_os_str() != "-" => read_limited(
            std::fs::File::open(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            limit,
        )?,
        (None, _) => read_limited(std::io::stdin().lock(), limit)?,
    };
    let today = chrono::Utc::now().date_naive();
    let report = engine.scan(&input, &policy, baseline.as_ref(), today);
    let rendered = match format {
        Format::Text => {
            let colour = args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            text(&report, if colour { TextStyle::Ansi } else { TextStyle::Plain })
        }
        Format::Json => json(&report).map_err(|e| e.to_string())?,
        Format::Sarif => {
            let mut out =
                serde_json::to_string_pretty(&sarif(&report)).map_err(|e| e.to_string())?;
            out.push('\n');
            out
        }
        Format::Html => diffscan_engine::render::html(&report),
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => std::io::stdout()
            .write_all(rendered.as_bytes())
            .map_err(|e| format!("cannot write the report: {e}"))?,
    }
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_report(&report).to_json().map_err(|e| e.to_string())?;
        std::fs::write(path, format!("{baseline}\n"))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(report.decision)
}

fn read_limited(reader: impl Read, limit: usize) -> Result<Vec<u8>, String> {
    let mut input = Vec::new();
    reader
        .take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_end(&mut input)
        .map_err(|e| format!("cannot read the diff: {e}"))?;
    Ok(input)
}

/// Whether `range` is `BASE..HEAD` or `BASE...HEAD` of revisions that cannot be read as options.
fn valid_range(range: &str) -> bool {
    let parts: Vec<&str> = if range.contains("...") {
        range.splitn(2, "...").collect()
    } else {
        range.splitn(2, "..").collect()
    };
    parts.len() == 2
        && parts.iter().all(|part| {
            !part.is_empty()
                && !part.starts_with('-')
                && part.chars().all(|c| c.is_ascii_graphic() && c != '\\')
        })
}

/// `git diff` of `range`, with every way for the repository to run code turned off.
fn git_diff(range: &str, limit: usize) -> Result<Vec<u8>, String> {
    if !valid_range(range) {
        return Err(format!("--git {range:?} is not BASE..HEAD or BASE...HEAD"));
    }
    let output = std::process::Command::new("git")
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.quotepath=true",
            "-c",
            "color.ui=never",
            "-c",
            "diff.noprefix=false",
            "--no-pager",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--full-index",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "--end-of-options",
            range,
        ])
        .env("GIT_EXTERNAL_DIFF", "")
        .env("GIT_PAGER", "cat")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git diff {range} failed: {}", stderr.trim()));
    }
    let mut diff = output.stdout;
    diff.truncate(limit);
    Ok(diff)
}

fn verify_command(args: &VerifyArgs) -> ExitCode {
    let keys = match keys(args) {
        Ok(keys) => keys,
        Err(message) => return fail(&message),
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => return fail(&format!("cannot read {}: {e}", args.file.display())),
    };
    match verify_artifact(&bytes, &keys) {
        Ok(verified) if verified.development_key && !args.allow_development_key => {
            eprintln!(
                "palisade diffscan: NOT VERIFIED: {} is signed with the public development key, \
                 which anyone can use (pass --allow-development-key to accept it anyway)",
                args.file.display()
            );
            ExitCode::from(1)
        }
        Ok(verified) => {
            let report = verified.report();
            println!(
                "verified: {} signed by {}{}\n  diff sha256: {}\n  decision: {}{} ({} blocking of {} findings)",
                args.file.display(),
                verified.key_id,
                if verified.development_key { " (the public development key)" } else { "" },
                verified.statement.diff_sha256(),
                report.decision.as_str(),
                if report.degraded { ", degraded (fail-open)" } else { "" },
                report.blocking_count(),
                report.findings.len() + report.omitted_findings,
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("palisade diffscan: NOT VERIFIED: {error}");
            ExitCode::from(1)
        }
    }
}

/// Key bytes written as hex or base64 (hex first: hex digits are base64 digits too).
fn key_bytes(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    hex::decode(text).ok().or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())
}

fn keys(args: &VerifyArgs) -> Result<Vec<VerificationKey>, String> {
    let mut keys = Vec::new();
    for given in &args.public_keys {
        let text = match std::fs::read_to_string(given) {
            Ok(text) => text,
            Err(_) => given.clone(),
        };
        let bytes = key_bytes(&text).ok_or_else(|| {
            "a --public-key is neither base64 nor hex (nor a file holding one)".to_string()
        })?;
        keys.push(VerificationKey::ed25519(&bytes).map_err(|e| format!("--public-key: {e}"))?);
    }
    for path in &args.hmac_key_files {
        let bytes = key_bytes(&read_text(path, "HMAC key")?)
            .ok_or_else(|| format!("{} holds neither base64 nor hex", path.display()))?;
        keys.push(VerificationKey::hmac(&bytes).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    if keys.is_empty() && !args.allow_development_key {
        return Err("give the key to verify with: --public-key or --hmac-key-file".into());
    }
    // Always tried last, so that an artifact signed with it is named as such (and refused
    // unless --allow-development-key) instead of failing as "no signature verifies".
    keys.push(VerificationKey::development());
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_base_to_head_ranges_of_non_option_revisions_are_accepted() {
        for good in ["main..HEAD", "origin/main...feature", "a1b2c3..d4e5f6", "v1.0..v2.0"] {
            assert!(valid_range(good), "{good}");
        }
        for bad in
            ["HEAD", "--output=/tmp/x..HEAD", "main..--exec=sh", "..HEAD", "main..", "a b..c"]
        {
            assert!(!valid_range(bad), "{bad}");
        }
    }
}
