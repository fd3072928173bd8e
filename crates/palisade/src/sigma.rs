//! `palisade sigma test RULE.yml EVENTS.ndjson`: tests one Sigma rule against sample events, one
//! JSON verdict per line (which selections matched, or why the rule does not apply), without a
//! database or configuration. Exit 0 when it ran (whatever matched), 2 when the rule or the
//! files cannot be read. The verdicts are detect's, as `POST /v1/detection-rules/test` gives them.

use clap::Subcommand;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum SigmaCommand {
    /// Test a rule against events (NDJSON: one JSON object per line; `-` reads standard input).
    /// Prints one JSON line per event: `{"line", "matched", "selections", "skipped", "error"}`.
    Test {
        /// The rule, in SigmaHQ YAML.
        rule: PathBuf,
        /// The events: flat field maps, ECS documents, Windows event-log records as `evtx` writes
        /// them, Wazuh or OCSF events.
        events: PathBuf,
    },
}

pub fn run(command: &SigmaCommand) -> ExitCode {
    let SigmaCommand::Test { rule, events } = command;
    let read = |path: &Path| -> Result<String, String> {
        if path == Path::new("-") {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            return Ok(text);
        }
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let (yaml, ndjson) = match (read(rule), read(events)) {
        (Ok(yaml), Ok(ndjson)) => (yaml, ndjson),
        (Err(message), _) | (_, Err(message)) => return refuse(&message),
    };
    match detect::sigma::testing::run(&yaml, &ndjson) {
        Ok(lines) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(lines.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => refuse(&format!("cannot write the verdicts: {e}")),
            }
        }
        Err(error) => refuse(&format!("{}: {error}", rule.display())),
    }
}

fn refuse(message: &str) -> ExitCode {
    eprintln!("palisade sigma test: {message}");
    ExitCode::from(2)
}
