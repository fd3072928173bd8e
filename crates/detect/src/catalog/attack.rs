//! MITRE ATT&CK Enterprise v18.1 as a lookup table: technique ids to names and tactics, tactic
//! shortnames and ids to names. Parsing a technique id (`T1059.001`, a Sigma tag
//! `attack.t1059.001`) lives here too. It must not guess: an id absent from the catalog is
//! reported as unknown, not invented.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

const EMBEDDED: &str = include_str!("../../data/attack-enterprise.tsv");

/// The ATT&CK release the catalog was derived from (OCSF `attack.version`).
pub const ATTACK_VERSION: &str = "18.1";

static CATALOG: LazyLock<AttackCatalog> = LazyLock::new(|| AttackCatalog::from_tsv(EMBEDDED));

/// A technique or sub-technique id: `T` and four digits, optionally `.` and three digits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct TechniqueId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an ATT&CK technique id (T1234 or T1234.001)")]
pub struct TechniqueIdError(pub String);

impl TechniqueId {
    /// Accepts `T1059`, `t1059.001` and the Sigma tag form `attack.t1059.001`.
    pub fn parse(text: &str) -> Result<TechniqueId, TechniqueIdError> {
        let trimmed = text.trim();
        let bare = trimmed.strip_prefix("attack.").unwrap_or(trimmed).to_ascii_uppercase();
        let bytes = bare.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            bytes.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        };
        let well_formed = bytes.first() == Some(&b'T')
            && digits(1..5)
            && (bytes.len() == 5 || (bytes.len() == 9 && bytes[5] == b'.' && digits(6..9)));
        if well_formed { Ok(TechniqueId(bare)) } else { Err(TechniqueIdError(text.to_string())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The parent technique of a sub-technique (`T1059` for `T1059.001`).
    pub fn parent(&self) -> Option<TechniqueId> {
        self.is_sub_technique().then(|| TechniqueId(self.0[..5].to_string()))
    }

    pub fn is_sub_technique(&self) -> bool {
        self.0.len() == 9
    }
}

impl fmt::Display for TechniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tactic {
    pub id: String,
    pub name: String,
    pub shortname: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Technique {
    pub id: TechniqueId,
    pub name: String,
    /// Tactic shortnames, in the catalog's order.
    pub tactics: Vec<String>,
    pub deprecated: bool,
}

#[derive(Debug)]
pub struct AttackCatalog {
    techniques: HashMap<TechniqueId, Technique>,
    tactics: Vec<Tactic>,
}

impl AttackCatalog {
    /// The catalog compiled into the crate.
    pub fn embedded() -> &'static AttackCatalog {
        &CATALOG
    }

    /// Reads the derived TSV; malformed lines are skipped (the file is generated, and its test
    /// checks the counts).
    fn from_tsv(text: &str) -> AttackCatalog {
        let mut techniques = HashMap::new();
        let mut tactics = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let columns: Vec<&str> = line.split('\t').collect();
            let [kind, id, name, list, deprecated] = columns[..] else { continue };
            match kind {
                "tactic" => tactics.push(Tactic {
                    id: id.to_string(),
                    name: name.to_string(),
                    shortname: list.to_string(),
                }),
                "technique" => {
                    let Ok(id) = TechniqueId::parse(id) else { continue };
                    let technique = Technique {
                        id: id.clone(),
                        name: name.to_string(),
                        tactics: list
                            .split(',')
                            .filter(|t| !t.is_empty())
                            .map(String::from)
                            .collect(),
                        deprecated: deprecated == "true",
                    };
                    techniques.insert(id, technique);
                }
                _ => {}
            }
        }
        AttackCatalog { techniques, tactics }
    }

    pub fn technique(&self, id: &TechniqueId) -> Option<&Technique> {
        self.techniques.get(id)
    }

    pub fn technique_count(&self) -> usize {
        self.techniques.len()
    }

    pub fn tactics(&self) -> &[Tactic] {
        &self.tactics
    }

    /// Finds a tactic by shortname (`defense-evasion`), Sigma tag (`attack.defense_evasion`),
    /// id (`TA0005`), display name (`Defense Evasion`) or Sentinel's name (`DefenseEvasion`), in
    /// any case.
    pub fn tactic(&self, text: &str) -> Option<&Tactic> {
        let trimmed = text.trim();
        let key = trimmed.strip_prefix("attack.").unwrap_or(trimmed);
        self.tactics.iter().find(|t| {
            t.id.eq_ignore_ascii_case(key)
                || same_words(&t.shortname, key)
                || same_words(&t.name, key)
        })
    }
}

/// Equal ignoring ASCII case and whatever separates the words, if anything (`Defense Evasion`,
/// `defense-evasion`, `defense_evasion`, and Sentinel's `DefenseEvasion`).
fn same_words(a: &str, b: &str) -> bool {
    let letters = |s: &'_ str| {
        s.bytes()
            .filter(|c| !matches!(c, b' ' | b'_' | b'-'))
            .map(|c| c.to_ascii_lowercase())
            .collect::<Vec<u8>>()
    };
    letters(a) == letters(b)
}
