//! The documentation keeps up with the code: every built-in rule is listed in the "Built-in
//! rules" section of `docs/diffscan.md`, and every rule listed there exists.

use std::path::Path;

use diffscan_engine::Engine;

/// The text of the section `## Built-in rules`, up to the next section of the same level.
fn rules_section() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diffscan.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc.find("\n## Built-in rules\n").expect("docs/diffscan.md has a rules section");
    let rest = &doc[start + 1..];
    let end = rest[1..].find("\n## ").map_or(rest.len(), |at| at + 1);
    rest[..end].to_string()
}

#[test]
fn the_rule_catalogue_lists_every_built_in_rule_and_nothing_else() {
    let engine = Engine::builtin().unwrap();
    let doc = rules_section();
    for rule in engine.rules() {
        assert!(
            doc.contains(&format!("| `{}` |", rule.id())),
            "docs/diffscan.md misses {}",
            rule.id()
        );
    }
    let listed = doc.lines().filter(|line| line.starts_with("| `")).count();
    assert_eq!(listed, engine.rules().len(), "docs/diffscan.md lists rules that do not exist");
}
