//! `palisade serve`: opens the database, starts the job runner (unless `--no-workers`), serves
//! the API over HTTPS (or plain HTTP behind a TLS-terminating proxy) plus the HTTP→HTTPS redirect
//! listener, and on SIGINT/SIGTERM drains in-flight requests and running jobs together, then
//! closes the pool and stops the embedded cluster.

use crate::config::Config;
use crate::database::{Database, Migrations};
use crate::{redirect, tls, wiring};
use axum_server::Handle;
use edge::{AppState, Services};
use std::net::SocketAddr;

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
    let state = AppState::new(services, config.app.http.clone(), config.app.limits.clone());
    let app = api::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let handle: Handle<SocketAddr> = Handle::new();
    let redirect_handle: Handle<SocketAddr> = Handle::new();
    tokio::spawn(shutdown_on_signal(
        vec![handle.clone(), redirect_handle.clone()],
        config.shutdown_grace,
    ));

    if let (Some(addr), true) = (config.redirect_listen, https) {
        let redirect_app = redirect::router(config.listen.port());
        let server = axum_server::bind(addr).handle(redirect_handle.clone());
        tokio::spawn(async move {
            if let Err(e) = server.serve(redirect_app.into_make_service()).await {
                tracing::error!(error = %e, %addr, "the HTTP redirect listener stopped");
            }
        });
        tracing::info!(%addr, "redirecting plain HTTP to HTTPS");
    }

    if https {
        let rustls = tls::rustls_config(config).await?;
        tracing::info!(addr = %config.listen, "serving HTTPS");
        axum_server::bind_rustls(config.listen, rustls).handle(handle).serve(app).await?;
    } else {
        tracing::warn!(
            addr = %config.listen,
            "tls.behind_proxy is on: serving plain HTTP; the proxy in front must terminate TLS"
        );
        axum_server::bind(config.listen).handle(handle).serve(app).await?;
    }
    redirect_handle.shutdown();
    tracing::info!("server drained");
    Ok(())
}

async fn shutdown_on_signal(handles: Vec<Handle<SocketAddr>>, grace: std::time::Duration) {
    wait_for_signal().await;
    tracing::info!(grace_secs = grace.as_secs(), "shutting down: draining in-flight requests");
    for handle in handles {
        handle.graceful_shutdown(Some(grace));
    }
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
