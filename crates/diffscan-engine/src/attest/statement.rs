//! The in-toto Statement v1 this crate signs: `_type`, one subject (the diff, by SHA-256),
//! our `predicateType`, and the report as the predicate.
//!
//! Parsing checks the statement's own consistency; it must only be called on a payload whose
//! signature has already been verified.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::VerifyError;
use crate::report::Report;

pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
pub const PREDICATE_TYPE: &str = "https://palisade.dev/attestations/diffscan-report/v1";
/// The DSSE payload type of in-toto statements.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub statement_type: String,
    pub subject: Vec<ResourceDescriptor>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    pub predicate: Report,
}

/// in-toto's ResourceDescriptor, with the fields a subject uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDescriptor {
    pub name: String,
    pub digest: BTreeMap<String, String>,
}

impl Statement {
    pub fn for_report(report: &Report, subject_name: &str) -> Statement {
        let digest = BTreeMap::from([("sha256".to_string(), report.subject.sha256.clone())]);
        Statement {
            statement_type: STATEMENT_TYPE.to_string(),
            subject: vec![ResourceDescriptor { name: subject_name.to_string(), digest }],
            predicate_type: PREDICATE_TYPE.to_string(),
            predicate: report.clone(),
        }
    }

    /// A verified payload as a statement about a diff, with its subject matching its report.
    pub(super) fn parse(payload: &[u8]) -> Result<Statement, VerifyError> {
        let statement: Statement = serde_json::from_slice(payload)
            .map_err(|e| VerifyError::NotAStatement(e.to_string()))?;
        if statement.statement_type != STATEMENT_TYPE {
            return Err(VerifyError::StatementType(shown(&statement.statement_type)));
        }
        if statement.predicate_type != PREDICATE_TYPE {
            return Err(VerifyError::PredicateType(shown(&statement.predicate_type)));
        }
        let diff_digest = &statement.predicate.subject.sha256;
        let names_the_diff = statement
            .subject
            .iter()
            .any(|subject| subject.digest.get("sha256") == Some(diff_digest));
        if !names_the_diff {
            return Err(VerifyError::SubjectMismatch);
        }
        Ok(statement)
    }

    /// The diff's SHA-256, as the subject states it.
    pub fn diff_sha256(&self) -> &str {
        &self.predicate.subject.sha256
    }
}

fn shown(text: &str) -> String {
    text.chars().take(100).collect()
}
