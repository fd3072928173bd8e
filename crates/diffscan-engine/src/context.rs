//! What kind of file a path names (code, docs, translation, test, example, CI workflow, agent
//! instruction file, lockfile, package manifest, registry configuration), from its path alone.
//!
//! Rules use kinds to decide where they apply and how much a match weighs. It must not read file
//! content: the kind of a file must not be something the diff's author can talk us out of.

use serde::{Deserialize, Serialize};

/// One kind a file can have; a file usually has several (`tests/x.py` is code and test).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Code,
    Docs,
    Translation,
    Test,
    Workflow,
    AgentInstructions,
    Lockfile,
    PackageManifest,
    RegistryConfig,
    Config,
    /// Example programs and sample data (`examples/`, `samples/`, `demo/`).
    Example,
}

const ALL_KINDS: [FileKind; 11] = [
    FileKind::Code,
    FileKind::Docs,
    FileKind::Translation,
    FileKind::Test,
    FileKind::Workflow,
    FileKind::AgentInstructions,
    FileKind::Lockfile,
    FileKind::PackageManifest,
    FileKind::RegistryConfig,
    FileKind::Config,
    FileKind::Example,
];

/// The set of kinds of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FileKinds(u16);

impl FileKinds {
    pub fn of(kinds: &[FileKind]) -> Self {
        FileKinds(kinds.iter().fold(0, |bits, kind| bits | bit(*kind)))
    }

    pub fn contains(self, kind: FileKind) -> bool {
        self.0 & bit(kind) != 0
    }

    pub fn intersects(self, other: FileKinds) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = FileKind> {
        ALL_KINDS.into_iter().filter(move |kind| self.contains(*kind))
    }

    /// These kinds and `kind`.
    pub fn with(self, kind: FileKind) -> FileKinds {
        FileKinds(self.0 | bit(kind))
    }

    fn insert(&mut self, kind: FileKind) {
        self.0 |= bit(kind);
    }
}

fn bit(kind: FileKind) -> u16 {
    1 << (kind as u16)
}

const CODE_EXTENSIONS: &[&str] = &[
    "rs", "py", "pyw", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "java", "kt", "kts", "scala",
    "rb", "php", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "swift", "m", "mm", "sh", "bash",
    "zsh", "fish", "ps1", "psm1", "bat", "cmd", "pl", "pm", "lua", "r", "dart", "ex", "exs", "erl",
    "hs", "ml", "clj", "groovy", "gradle", "vue", "svelte", "sql", "html", "htm", "ejs", "erb",
    "jl", "nim", "zig", "v", "sol",
];
const CODE_NAMES: &[&str] =
    &["makefile", "dockerfile", "jenkinsfile", "rakefile", "gemfile", "justfile", "vagrantfile"];
const DOC_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "rst", "adoc", "txt", "org", "tex"];
const TRANSLATION_EXTENSIONS: &[&str] =
    &["po", "pot", "xliff", "xlf", "strings", "arb", "resx", "ftl"];
const TRANSLATION_DIRS: &[&str] = &["locale", "locales", "i18n", "l10n", "translations", "lang"];
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "__fixtures__",
    "testing",
    "mocks",
    "benches",
    "benchmarks",
];
const EXAMPLE_DIRS: &[&str] = &["examples", "example", "samples", "sample", "demo", "demos"];
const CONFIG_EXTENSIONS: &[&str] =
    &["yml", "yaml", "toml", "json", "jsonc", "ini", "cfg", "conf", "xml", "env", "properties"];
const AGENT_FILES: &[&str] = &[
    "agents.md",
    "claude.md",
    "gemini.md",
    ".cursorrules",
    ".windsurfrules",
    ".clinerules",
    "copilot-instructions.md",
    "agent.md",
    ".aider.conf.yml",
];
const AGENT_DIRS: &[&str] =
    &[".cursor", ".windsurf", ".clinerules", ".claude", ".github/instructions", ".github/prompts"];
const LOCKFILES: &[&str] = &[
    "cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "pipfile.lock",
    "gemfile.lock",
    "composer.lock",
    "go.sum",
    "uv.lock",
    "bun.lock",
    "pdm.lock",
    "flake.lock",
];
const MANIFESTS: &[&str] = &[
    "package.json",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "cargo.toml",
    "build.rs",
    "composer.json",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
];
const REGISTRY_CONFIGS: &[&str] = &[
    ".npmrc",
    ".yarnrc",
    ".yarnrc.yml",
    "pip.conf",
    "pip.ini",
    ".pypirc",
    "nuget.config",
    ".gemrc",
    "bunfig.toml",
    ".condarc",
];

/// Classifies a repository path (already normalized; case does not matter).
pub fn classify(path: &str) -> FileKinds {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let dirs: Vec<&str> = lower.split('/').rev().skip(1).collect();
    let extension = name.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    let mut kinds = FileKinds::default();
    let in_dir = |names: &[&str]| dirs.iter().any(|dir| names.contains(dir));

    if AGENT_FILES.contains(&name)
        || AGENT_DIRS.iter().any(|dir| lower.starts_with(&format!("{dir}/")))
    {
        kinds.insert(FileKind::AgentInstructions);
    } else if DOC_EXTENSIONS.contains(&extension) || (in_dir(&["docs", "doc"]) && extension != "rs")
    {
        kinds.insert(FileKind::Docs);
    }
    if CODE_EXTENSIONS.contains(&extension) || CODE_NAMES.contains(&name) {
        kinds.insert(FileKind::Code);
    }
    if TRANSLATION_EXTENSIONS.contains(&extension) || in_dir(TRANSLATION_DIRS) {
        kinds.insert(FileKind::Translation);
    }
    if in_dir(TEST_DIRS) || is_test_file_name(name) {
        kinds.insert(FileKind::Test);
    }
    if in_dir(EXAMPLE_DIRS) {
        kinds.insert(FileKind::Example);
    }
    if is_workflow(&lower, name) {
        kinds.insert(FileKind::Workflow);
    }
    if LOCKFILES.contains(&name) {
        kinds.insert(FileKind::Lockfile);
    }
    if MANIFESTS.contains(&name) {
        kinds.insert(FileKind::PackageManifest);
    }
    if REGISTRY_CONFIGS.contains(&name) || is_cargo_config(&lower) {
        kinds.insert(FileKind::RegistryConfig);
    }
    if CONFIG_EXTENSIONS.contains(&extension)
        || (name.starts_with('.') && !kinds.contains(FileKind::AgentInstructions))
    {
        kinds.insert(FileKind::Config);
    }
    kinds
}

fn is_test_file_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || (stem.ends_with("test") && stem.len() > 4 && name.ends_with(".java"))
        || name.contains(".test.")
        || name.contains(".spec.")
        || name == "conftest.py"
}

fn is_workflow(lower: &str, name: &str) -> bool {
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    // Nested `.github/workflows` (vendored projects, monorepo templates) count too: someone
    // copies them into place, and reviewing them as workflows costs nothing.
    ((lower.starts_with(".github/workflows/") || lower.contains("/.github/workflows/")) && yaml)
        || (lower.starts_with(".github/actions/")
            && (name == "action.yml" || name == "action.yaml"))
        || name == ".gitlab-ci.yml"
        || name == "azure-pipelines.yml"
        || name == "bitbucket-pipelines.yml"
        || lower.starts_with(".circleci/")
        || lower.starts_with(".buildkite/")
        || name == "jenkinsfile"
        || [".travis.yml", ".drone.yml", "appveyor.yml", ".appveyor.yml", ".cirrus.yml"]
            .contains(&name)
}

fn is_cargo_config(lower: &str) -> bool {
    lower == ".cargo/config"
        || lower == ".cargo/config.toml"
        || lower.ends_with("/.cargo/config.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_instruction_files_are_recognized_wherever_agents_read_them() {
        for path in [
            "AGENTS.md",
            "sub/CLAUDE.md",
            ".cursorrules",
            ".github/copilot-instructions.md",
            ".windsurfrules",
            ".cursor/rules/x.mdc",
        ] {
            assert!(classify(path).contains(FileKind::AgentInstructions), "{path}");
        }
        assert!(!classify("README.md").contains(FileKind::AgentInstructions));
    }

    #[test]
    fn a_test_python_file_is_both_code_and_test() {
        let kinds = classify("tests/test_login.py");
        assert!(kinds.contains(FileKind::Code) && kinds.contains(FileKind::Test));
        assert!(!kinds.contains(FileKind::Docs));
    }

    #[test]
    fn workflows_lockfiles_and_registry_configs_are_told_apart() {
        assert!(classify(".github/workflows/ci.yml").contains(FileKind::Workflow));
        assert!(classify("vendor/lib/.github/workflows/ci.yml").contains(FileKind::Workflow));
        assert!(classify("pem/benches/parse.rs").contains(FileKind::Test));
        assert!(classify("web/package-lock.json").contains(FileKind::Lockfile));
        assert!(classify(".cargo/config.toml").contains(FileKind::RegistryConfig));
        assert!(classify("frontend/.npmrc").contains(FileKind::RegistryConfig));
        assert!(classify("locales/ar/messages.json").contains(FileKind::Translation));
        assert!(classify("axum/examples/tls/key.pem").contains(FileKind::Example));
    }
}
