//! Observable extraction shared by the adapters whose payloads carry ECS fields (Elastic, Wazuh
//! 5.x) or the same conventions (Sysmon's `Hashes` lists, Windows paths). It only reads; which
//! payload paths exist is each adapter's business.

use crate::json::{first_text, text, texts};
use crate::model::ObservableKind;
use crate::normalize::FindingDraft;
use serde_json::Value;

/// Where ECS keeps each indicator, and the OCSF attribute it becomes.
const ECS_OBSERVABLES: &[(ObservableKind, &str, &str)] = &[
    (ObservableKind::Ip, "host.ip", "device.ip"),
    (ObservableKind::Ip, "source.ip", "src_endpoint.ip"),
    (ObservableKind::Ip, "destination.ip", "dst_endpoint.ip"),
    (ObservableKind::Ip, "client.ip", "src_endpoint.ip"),
    (ObservableKind::Ip, "server.ip", "dst_endpoint.ip"),
    (ObservableKind::Domain, "destination.domain", "dst_endpoint.domain"),
    (ObservableKind::Domain, "dns.question.name", "query.hostname"),
    (ObservableKind::Domain, "url.domain", "url.domain"),
    (ObservableKind::Url, "url.full", "url.url_string"),
    (ObservableKind::Url, "url.original", "url.url_string"),
    (ObservableKind::User, "user.name", "actor.user.name"),
    (ObservableKind::User, "user.target.name", "user.name"),
    (ObservableKind::Email, "email.from.address", "email.from"),
    (ObservableKind::Email, "email.to.address", "email.to"),
    (ObservableKind::Email, "user.email", "actor.user.email_addr"),
    (ObservableKind::FileHash, "process.hash.sha256", "process.file.hashes"),
    (ObservableKind::FileHash, "file.hash.sha256", "file.hashes"),
    (ObservableKind::FileHash, "file.hash.sha1", "file.hashes"),
    (ObservableKind::FileHash, "file.hash.md5", "file.hashes"),
    (ObservableKind::FileName, "file.name", "file.name"),
    (ObservableKind::Process, "process.name", "process.name"),
    (ObservableKind::Process, "process.parent.name", "process.parent_process.name"),
];

/// Adds every ECS indicator present in `document`, plus the host as a resource.
pub fn observe_ecs(draft: &mut FindingDraft, document: &Value) {
    for (kind, path, name) in ECS_OBSERVABLES {
        for value in texts(document, path) {
            draft.observe(*kind, name, Some(value));
        }
    }
    let host = first_text(document, &["host.hostname", "host.name"]);
    draft.observe(ObservableKind::Hostname, "device.hostname", host.clone());
    draft.resource("host", host, text(document, "host.id"));
}

/// The last component of a Windows or POSIX path (`C:\Windows\cmd.exe` → `cmd.exe`).
pub fn basename(path: &str) -> String {
    path.rsplit(['\\', '/']).next().unwrap_or(path).to_string()
}

/// Sysmon's `Hashes` field: `MD5=…,SHA256=…,IMPHASH=…`. The import hash identifies a build,
/// not a file, so it is not an observable.
pub fn observe_hash_list(draft: &mut FindingDraft, list: &str) {
    for entry in list.split(',') {
        if let Some((algorithm, hash)) = entry.split_once('=')
            && !algorithm.trim().eq_ignore_ascii_case("IMPHASH")
        {
            draft.observe(ObservableKind::FileHash, "process.file.hashes", Some(hash.to_string()));
        }
    }
}
