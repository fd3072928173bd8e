//! Browser tests of the web console live in `tests/browser/`; this crate has no code of its own.
//! They need Chromium and ChromeDriver (`scripts/install-test-tools.sh` installs Debian's) and
//! save screenshots under `target/console-screenshots/`.
