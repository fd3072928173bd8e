//! `palisade scan <target…> [--ports SPEC] [--tls] [--json]` in one call: the CLI parses its
//! arguments into a [`ScanRequest`] (resolving domains itself into [`ScanTarget::named`]), draws
//! its progress bar from [`ScanEvent::Progress`], prints a JSON line per [`ScanEvent::Host`], and
//! exits with [`ScanRun::exit_code`] or [`RunError::exit_code`].
//!
//! Exit codes (the 0/1/2, plus the shell's convention for an interrupt):
//!
//! | code | meaning                                                                         |
//! |------|---------------------------------------------------------------------------------|
//! | 0    | the scan ran; what it found (open ports, bad certificates) does not change this |
//! | 1    | the scan could not run: nothing could be scanned (every attempt failed on our side, such as no free file descriptor) or the TLS client could not be set up |
//! | 2    | bad arguments: a target or port spec that does not parse, no targets, too many addresses (the same code clap gives a malformed command line) |
//! | 130  | interrupted (Ctrl-C triggered the token); the partial results were printed      |
//!
//! Findings do not fail the command: a scan is an observation, and gating a pipeline on changes
//! is the diff's job. It must not print or read the terminal; that is the CLI's.

use std::collections::BTreeSet;

use crate::scan::{self, CancellationToken, HostReport, ScanError, ScanEvent, ScanOptions};
use crate::snapshot::{CertificateCheck, Scope, Snapshot};
use crate::values::{MAX_SCAN_ADDRESSES, PortSpec, ScanTarget, Target, TargetError};

/// What the CLI asks for.
#[derive(Clone, Debug)]
pub struct ScanRequest {
    /// Addresses and blocks named on the command line.
    pub targets: Vec<Target>,
    /// Addresses the CLI resolved domains to, each with its domain (for SNI and name checks).
    pub named: Vec<ScanTarget>,
    pub ports: PortSpec,
    pub options: ScanOptions,
}

/// What the scan produced.
#[derive(Clone, Debug)]
pub struct ScanRun {
    pub snapshot: Snapshot,
    /// Every finished host, answered or not, ordered by target.
    pub hosts: Vec<HostReport>,
    pub cancelled: bool,
}

/// The process exit code for a finished or failed run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: the scan ran.
    Scanned,
    /// 1: nothing could be scanned.
    Failed,
    /// 2: the arguments name nothing that can be scanned.
    BadArguments,
    /// 130: interrupted.
    Interrupted,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Targets(#[from] TargetError),
    #[error(transparent)]
    Scan(#[from] ScanError),
}

impl ExitCode {
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Scanned => 0,
            ExitCode::Failed => 1,
            ExitCode::BadArguments => 2,
            ExitCode::Interrupted => 130,
        }
    }
}

impl RunError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            RunError::Targets(_) => ExitCode::BadArguments,
            RunError::Scan(_) => ExitCode::Failed,
        }
    }
}

impl ScanRun {
    pub fn exit_code(&self) -> ExitCode {
        if self.cancelled {
            ExitCode::Interrupted
        } else if self.hosts.is_empty() || self.hosts.iter().all(HostReport::not_scanned) {
            ExitCode::Failed
        } else {
            ExitCode::Scanned
        }
    }
}

/// Scans what `request` names, streaming events to `on_event`, and builds the snapshot with
/// certificates validated by `check`.
pub async fn run_scan(
    request: &ScanRequest,
    check: CertificateCheck<'_>,
    cancel: &CancellationToken,
    on_event: impl FnMut(ScanEvent<'_>),
) -> Result<ScanRun, RunError> {
    let targets = scan_targets(request)?;
    let summary = scan::scan(&targets, &request.ports, &request.options, cancel, on_event).await?;
    let named = request.named.iter().map(|target| Target::Address(target.address()));
    let scope = Scope::new(request.targets.iter().copied().chain(named), request.ports.clone());
    let snapshot = Snapshot::build(scope, &summary.hosts, check);
    Ok(ScanRun { snapshot, hosts: summary.hosts, cancelled: summary.cancelled })
}

/// The expanded addresses plus the named ones, each (address, name) once.
fn scan_targets(request: &ScanRequest) -> Result<Vec<ScanTarget>, TargetError> {
    let mut targets: BTreeSet<ScanTarget> = BTreeSet::new();
    if !request.targets.is_empty() {
        targets.extend(crate::values::expand(&request.targets)?);
    }
    targets.extend(request.named.iter().cloned());
    if targets.is_empty() {
        return Err(TargetError::NoTargets);
    }
    if targets.len() > MAX_SCAN_ADDRESSES {
        return Err(TargetError::TooMany);
    }
    Ok(targets.into_iter().collect())
}
