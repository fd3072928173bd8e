//! `palisade serve`: opens the database, starts the job runner (unless `--no-workers`), serves
//! the API over HTTPS (or plain HTTP behind a TLS-terminating proxy) plus the HTTP→HTTPS redirect
//! listener, and on SIGINT/SIGTERM drains in-flight requests and running jobs together, then
//! closes the pool and stops the embedded cluster.

use crate::config::Config;
use crate::database::{Database, Migrations};
use crate::{redirect, tls, wiring};
use anyhow::Context;
use edge::{AppState, Server, Services};
use tokio::net::TcpListener;

pub async fn run(config: Config, workers: bool) -> anyhow::Result<()> {
    let database = Database::open(&config.app.platform, Migrations::ApplyIfOwner).await?;
    let served = serve_with_workers(&config, &database, workers).await;
    database.close().await;
    served
}

async fn serve_with_workers(
    config: &Config,
    database: &Database,
    workers: bool,
) -> anyhow::Result<()> {
    let services = Services::build(&config.app, database.app.clone()).await?;
    let runner = if workers {
        // In the background: the runner starts as soon as the job schema is usable (logging
        // why not until then), while the API is already serving.
        Some(services.job_runner(&config.app).stop_when(wait_for_signal()).spawn())
    } else {
        tracing::info!("--no-workers: background jobs are left to `palisade worker` processes");
        None
    };
    let served = serve(config, services).await;
    if let Some(runner) = runner {
        // Already stopping when a signal ended the server; asked here when it ended otherwise.
        if let Err(e) = runner.shutdown().await {
            tracing::error!(error = %e, "the job runner stopped with an error");
        }
    }
    served
}

async fn serve(config: &Config, services: Services) -> anyhow::Result<()> {
    let https = !config.tls.behind_proxy;
    wiring::bootstrap(&config.app.identity, &services.identity).await?;
    services.spawn_listeners(wait_for_signal());
    let connections = config.app.http.connections.clone();
    let state = AppState::new(services, config.app.http.clone(), config.app.limits.clone());
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;

    let redirect = match (config.redirect_listen, https) {
        (Some(addr), true) => {
            let plain = TcpListener::bind(addr)
                .await
                .with_context(|| format!("listening on {addr} (redirect_listen)"))?;
            let server =
                Server::new(redirect::router(redirect_targets(config)), connections.clone());
            tracing::info!(%addr, "redirecting plain HTTP to HTTPS");
            Some(tokio::spawn(server.serve(plain, wait_for_signal(), config.shutdown_grace)))
        }
        _ => None,
    };

    let console = web::routes(&state);
    let server = Server::new(api::router_with(state, console), connections);
    let server = if https {
        tracing::info!(
            addr = %config.listen,
            "serving HTTPS: the API at {}/v1 (its document at /v1/openapi.json)",
            config.app.notify.public_url.trim_end_matches('/')
        );
        server.with_tls(tls::server_config(config)?)
    } else {
        tracing::warn!(
            addr = %config.listen,
            "tls.behind_proxy is on: serving plain HTTP; the proxy in front must terminate TLS"
        );
        server
    };
    let grace = config.shutdown_grace;
    server
        .serve(
            listener,
            async {
                wait_for_signal().await;
                tracing::info!(
                    grace_secs = grace.as_secs(),
                    "shutting down: draining in-flight requests"
                );
            },
            grace,
        )
        .await;
    if let Some(redirect) = redirect {
        let _ = redirect.await;
    }
    tracing::info!("server drained");
    Ok(())
}

/// The names the redirect listener may send clients to: the TLS host names and `public_url`'s.
fn redirect_targets(config: &Config) -> redirect::Targets {
    let public_url = config.app.notify.public_url.clone();
    let mut known_hosts: Vec<String> =
        config.tls.hostnames.iter().map(|h| h.to_ascii_lowercase()).collect();
    let authority = public_url.split("://").nth(1).unwrap_or_default();
    let host = authority.split('/').next().unwrap_or_default();
    let host = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    };
    if !host.is_empty() {
        known_hosts.push(host.to_ascii_lowercase());
    }
    redirect::Targets { public_url, known_hosts, https_port: config.listen.port() }
}

/// Completes on SIGINT or SIGTERM (each caller gets every signal).
pub async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
        (Ok(mut interrupt), Ok(mut terminate)) => {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        }
        _ => {
            tracing::error!("cannot listen for signals; falling back to Ctrl-C only");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
