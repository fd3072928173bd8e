//! What kind of log an event is, in Sigma's logsource terms (product, service, categories), read
//! from the event itself: the Windows channel, provider and event id (Sysmon id 1 is
//! `process_creation`, 7 is `image_load` …), ECS `event.category`/`event.type`, or the OCSF class
//! and activity. Unknown parts stay unknown: routing treats them as "could be anything" rather
//! than guessing. It decides nothing about rules; `engine` does.

use crate::json;
use crate::sigma::event::{Layout, SigmaEvent};
use serde_json::Value;

/// An event's logsource. An event may belong to several categories (a Sysmon registry value
/// set is both `registry_set` and the umbrella `registry_event`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventLogsource {
    pub product: Option<&'static str>,
    pub service: Option<&'static str>,
    pub categories: &'static [&'static str],
}

impl EventLogsource {
    pub fn of(event: &SigmaEvent<'_>) -> EventLogsource {
        match event.layout() {
            Layout::Ecs => ecs(event),
            Layout::Ocsf => ocsf(event),
            _ => windows(event),
        }
    }
}

fn windows(event: &SigmaEvent<'_>) -> EventLogsource {
    let channel = event.system_field("Channel").and_then(Value::as_str);
    let windows = matches!(event.layout(), Layout::WindowsEventLog)
        || channel.is_some()
        || (event.layout() == Layout::Wazuh && event.json().pointer("/data/win").is_some());
    if !windows {
        return EventLogsource::default();
    }
    let sysmon = channel.is_some_and(|c| c.contains("Sysmon"))
        || event
            .system_field("Provider_Name")
            .and_then(Value::as_str)
            .is_some_and(|p| p.contains("Sysmon"));
    let service = channel.and_then(service_of_channel);
    let id = event.system_field("EventID").and_then(event_id);
    let categories: &'static [&'static str] = match (id, sysmon, service) {
        (Some(id), true, _) => sysmon_categories(id),
        (Some(4688), false, Some("security")) => &["process_creation"],
        (Some(4104), false, _) => &["ps_script"],
        (Some(4103), false, _) => &["ps_module"],
        (Some(400), false, Some("powershell-classic")) => &["ps_classic_start"],
        _ => &[],
    };
    EventLogsource { product: Some("windows"), service, categories }
}

/// An event id as a number or as text (Wazuh writes `"eventID": "1"`).
fn event_id(value: &Value) -> Option<u32> {
    match value {
        Value::Number(number) => number.as_u64().and_then(|id| u32::try_from(id).ok()),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Sysmon event ids to Sigma categories (Sigma's Windows logsource taxonomy).
fn sysmon_categories(id: u32) -> &'static [&'static str] {
    match id {
        1 => &["process_creation"],
        2 => &["file_change"],
        3 => &["network_connection"],
        5 => &["process_termination"],
        6 => &["driver_load"],
        7 => &["image_load"],
        8 => &["create_remote_thread"],
        9 => &["raw_access_thread"],
        10 => &["process_access"],
        11 => &["file_event"],
        12 => &["registry_add", "registry_delete", "registry_event"],
        13 => &["registry_set", "registry_event"],
        14 => &["registry_rename", "registry_event"],
        15 => &["create_stream_hash"],
        17 | 18 => &["pipe_created"],
        19..=21 => &["wmi_event"],
        22 => &["dns_query"],
        23 | 26 => &["file_delete"],
        24 => &["clipboard_capture"],
        25 => &["process_tampering"],
        27 | 28 => &["file_block"],
        29 => &["file_executable_detected"],
        _ => &["sysmon_status"],
    }
}

fn service_of_channel(channel: &str) -> Option<&'static str> {
    let service = match channel {
        "Security" => "security",
        "System" => "system",
        "Application" => "application",
        "Microsoft-Windows-Sysmon/Operational" => "sysmon",
        "Microsoft-Windows-PowerShell/Operational" => "powershell",
        "Windows PowerShell" => "powershell-classic",
        "Microsoft-Windows-Windows Defender/Operational" => "windefend",
        "Microsoft-Windows-TaskScheduler/Operational" => "taskscheduler",
        "Microsoft-Windows-WMI-Activity/Operational" => "wmi",
        "Microsoft-Windows-Bits-Client/Operational" => "bits-client",
        "Microsoft-Windows-CodeIntegrity/Operational" => "codeintegrity-operational",
        "Microsoft-Windows-DNS-Client/Operational" => "dns-client",
        "Microsoft-Windows-NTLM/Operational" => "ntlm",
        "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall" => "firewall-as",
        _ => return None,
    };
    Some(service)
}

fn ecs(event: &SigmaEvent<'_>) -> EventLogsource {
    let document = event.json();
    let os = json::first_text(document, &["host.os.type", "host.os.family", "host.os.platform"]);
    let product = os
        .as_deref()
        .and_then(product_of_os)
        .or_else(|| json::lookup(document, "winlog").map(|_| "windows"));
    let channel = json::text(document, "winlog.channel");
    let service = channel.as_deref().and_then(service_of_channel);
    if channel.as_deref().is_some_and(|c| c.contains("Sysmon"))
        && let Some(id) = event.system_field("EventID").and_then(event_id)
    {
        return EventLogsource { product, service, categories: sysmon_categories(id) };
    }
    let kinds = json::texts(document, "event.category");
    let types = json::texts(document, "event.type");
    let has = |list: &[String], word: &str| list.iter().any(|k| k == word);
    let categories: &'static [&'static str] = if has(&kinds, "process") && has(&types, "start") {
        &["process_creation"]
    } else if has(&kinds, "process") && has(&types, "end") {
        &["process_termination"]
    } else if has(&kinds, "driver") {
        &["driver_load"]
    } else if has(&kinds, "library") {
        &["image_load"]
    } else if has(&kinds, "registry") {
        &["registry_event", "registry_set"]
    } else if has(&kinds, "file") && has(&types, "deletion") {
        &["file_delete"]
    } else if has(&kinds, "file") && has(&types, "creation") {
        &["file_event"]
    } else if json::lookup(document, "dns.question.name").is_some() {
        &["dns_query"]
    } else if has(&kinds, "network") {
        &["network_connection"]
    } else {
        &[]
    };
    EventLogsource { product, service, categories }
}

fn ocsf(event: &SigmaEvent<'_>) -> EventLogsource {
    let document = event.json();
    let class = json::number(document, "class_uid").map(|n| n as i64);
    let activity = json::number(document, "activity_id").map(|n| n as i64);
    let categories: &'static [&'static str] = match (class, activity) {
        (Some(1007), Some(1)) => &["process_creation"],
        (Some(1007), Some(2)) => &["process_termination"],
        (Some(1007), Some(3)) => &["process_access"],
        (Some(1007), Some(4)) => &["create_remote_thread"],
        (Some(1005), _) => &["image_load"],
        (Some(1001), Some(1)) => &["file_event"],
        (Some(1001), Some(4)) => &["file_delete"],
        (Some(4001), _) => &["network_connection"],
        (Some(4003), _) => &["dns_query"],
        (Some(201001 | 201002), _) => &["registry_event", "registry_set"],
        _ => &[],
    };
    let product = json::text(document, "device.os.type").as_deref().and_then(product_of_os);
    EventLogsource { product, service: None, categories }
}

fn product_of_os(os: &str) -> Option<&'static str> {
    match os.to_ascii_lowercase().as_str() {
        "windows" => Some("windows"),
        "linux" | "debian" | "ubuntu" | "rhel" | "centos" => Some("linux"),
        "macos" | "darwin" => Some("macos"),
        _ => None,
    }
}

/// Why a rule's logsource excludes this event, if it does. A dimension unknown on either side
/// never conflicts (fail-open, as rsigma's pruning): an event that names no category may still
/// be a process creation.
pub fn conflict(rule: &rsigma_parser::LogSource, event: &EventLogsource) -> Option<String> {
    let differs = |dimension: &str, rule: &Option<String>, event: &Option<&str>| match (rule, event)
    {
        (Some(r), Some(e)) if !r.eq_ignore_ascii_case(e) => {
            Some(format!("the rule's {dimension} is {r}, the event's is {e}"))
        }
        _ => None,
    };
    if let Some(reason) = differs("product", &rule.product, &event.product) {
        return Some(reason);
    }
    if let Some(reason) = differs("service", &rule.service, &event.service) {
        return Some(reason);
    }
    let category = rule.category.as_deref()?;
    let listed = event.categories.iter().any(|c| c.eq_ignore_ascii_case(category));
    (!event.categories.is_empty() && !listed).then(|| {
        format!("the rule's category is {category}, the event is {}", event.categories.join(" / "))
    })
}
