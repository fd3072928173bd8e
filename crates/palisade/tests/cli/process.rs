//! Starting and stopping `palisade serve` on free loopback ports with a temp data_dir.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_palisade");
pub const ADMIN_EMAIL: &str = "root@palisade.test";
pub const ADMIN_PASSWORD: &str = "cli-test-admin-passphrase";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A data_dir removed when the test ends (declare it before any `Palisade` that uses it).
pub struct TempDataDir(PathBuf);

impl std::ops::Deref for TempDataDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_data_dir() -> TempDataDir {
    let dir = std::env::temp_dir().join(format!("palisade-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDataDir(dir)
}

pub struct Palisade {
    pub child: Child,
    pub data_dir: PathBuf,
    pub https_port: u16,
    pub http_port: u16,
}

impl Palisade {
    /// Starts `palisade serve` on `data_dir` without waiting for it.
    pub fn start(data_dir: &Path) -> Palisade {
        let (https_port, http_port) = (free_port(), free_port());
        let child = Command::new(BIN)
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PALISADE_DATA_DIR", data_dir)
            .env("PALISADE_LISTEN", format!("127.0.0.1:{https_port}"))
            .env("PALISADE_REDIRECT_LISTEN", format!("127.0.0.1:{http_port}"))
            .env("PALISADE_LOG_FORMAT", "json")
            .env("PALISADE_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("PALISADE_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Palisade { child, data_dir: data_dir.to_path_buf(), https_port, http_port }
    }

    /// A client that trusts exactly the certificate this palisade generated.
    pub fn client(&self) -> reqwest::Client {
        let pem = std::fs::read(self.data_dir.join("tls/cert.pem")).unwrap();
        reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
            .resolve("localhost", ([127, 0, 0, 1], self.https_port).into())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{}", self.https_port, path)
    }

    /// Waits until `/readyz` answers 200; panics with the server's output if it never does.
    pub async fn wait_ready(&mut self) -> Duration {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("palisade exited early ({status}): {}", self.drain_output());
            }
            if self.data_dir.join("tls/cert.pem").exists()
                && let Ok(response) = self.client().get(self.url("/readyz")).send().await
                && response.status() == 200
            {
                return started.elapsed();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("palisade never became ready");
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn terminate(mut self) -> Output {
        signal(self.child.id(), "TERM");
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "palisade did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
        std::mem::replace(&mut self.child, dummy()).wait_with_output().unwrap()
    }

    /// Waits for palisade to exit by itself and returns what it printed.
    pub fn wait_for_exit(mut self) -> Output {
        std::mem::replace(&mut self.child, dummy()).wait_with_output().unwrap()
    }

    /// Kills palisade with SIGKILL, as a crash would, leaving its cluster behind.
    pub fn crash(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn drain_output(&mut self) -> String {
        let output = std::mem::replace(&mut self.child, dummy()).wait_with_output().unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    }
}

fn dummy() -> Child {
    Command::new("true").spawn().unwrap()
}

pub fn signal(pid: u32, name: &str) {
    Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status().unwrap();
}

impl Drop for Palisade {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            signal(self.child.id(), "TERM");
            let _ = self.child.wait();
        }
    }
}

/// Runs the binary to completion with extra environment variables.
/// The working directory of one-shot commands: theirs, not the source tree, so the default
/// `./palisade-data` (and the master key created there) never lands in the repository.
fn work_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("palisade-cli-cwd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

pub fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .current_dir(work_dir())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// Whether a postgres process is still running on `data_dir`'s cluster.
pub fn cluster_running(data_dir: &Path) -> bool {
    let pid_file = data_dir.join("postgres/data/postmaster.pid");
    let Ok(text) = std::fs::read_to_string(pid_file) else {
        return false;
    };
    let pid = text.lines().next().unwrap_or_default().trim().to_string();
    Path::new(&format!("/proc/{pid}")).exists()
}
