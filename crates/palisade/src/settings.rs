//! Reads the configuration file and the process environment and hands them to `config`, which
//! parses and validates them.

use crate::config::Config;
use std::path::Path;

pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
    let (name, text) = match explicit {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
            (path.display().to_string(), text)
        }
        None => match std::fs::read_to_string("palisade.toml") {
            Ok(text) => ("palisade.toml".to_string(), text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (String::new(), String::new()),
            Err(e) => return Err(format!("cannot read palisade.toml: {e}")),
        },
    };
    let env = std::env::vars().collect();
    Config::load(&name, &text, &env).map_err(|errors| errors.to_string())
}
