//! Sigma's field names (the Sysmon and Windows event-log names SigmaHQ rules use: `Image`,
//! `CommandLine`, `TargetFilename` …) and where each lives in the other layouts Palisade
//! evaluates: ECS (Elastic, Winlogbeat, Wazuh 5.x) and OCSF. The Windows event-log and Wazuh 4.x
//! layouts keep the Windows names themselves and are resolved by rule in `event`. A name with no
//! entry is looked up as written, so rules that use a layout's own names work too.

/// Sigma name to ECS paths, in the order they are tried.
pub fn ecs(sigma: &str) -> &'static [&'static str] {
    match sigma {
        "Image" | "NewProcessName" => &["process.executable"],
        "ParentImage" | "ParentProcessName" => &["process.parent.executable"],
        "CommandLine" | "ProcessCommandLine" => &["process.command_line"],
        "ParentCommandLine" => &["process.parent.command_line"],
        "OriginalFileName" => &["process.pe.original_file_name"],
        "Description" => &["process.pe.description"],
        "Product" => &["process.pe.product"],
        "Company" => &["process.pe.company"],
        "CurrentDirectory" => &["process.working_directory"],
        "ProcessId" => &["process.pid"],
        "ParentProcessId" => &["process.parent.pid"],
        "User" | "SubjectUserName" => &["user.name"],
        "TargetUserName" => &["user.target.name", "user.name"],
        "TargetFilename" => &["file.path"],
        "ImageLoaded" => &["dll.path", "file.path"],
        "Signed" => &["dll.code_signature.signed", "file.code_signature.signed"],
        "DestinationIp" => &["destination.ip"],
        "DestinationPort" => &["destination.port"],
        "DestinationHostname" => &["destination.domain"],
        "SourceIp" | "IpAddress" => &["source.ip"],
        "SourcePort" | "IpPort" => &["source.port"],
        "SourceHostname" | "WorkstationName" => &["source.domain"],
        "Protocol" => &["network.transport"],
        "QueryName" => &["dns.question.name"],
        "TargetObject" => &["registry.path"],
        "Details" => &["registry.data.strings"],
        "EventID" | "EventCode" => &["winlog.event_id", "event.code"],
        "Channel" => &["winlog.channel"],
        "Provider_Name" => &["winlog.provider_name"],
        "Computer" | "ComputerName" | "Hostname" => &["host.name"],
        "ScriptBlockText" => &["powershell.file.script_block_text"],
        "PipeName" => &["file.name"],
        "ServiceName" => &["service.name"],
        "c-uri" => &["url.original", "url.full"],
        "c-uri-query" => &["url.query"],
        "cs-host" | "r-dns" => &["url.domain", "destination.domain"],
        "c-useragent" => &["user_agent.original"],
        "cs-method" => &["http.request.method"],
        "sc-status" => &["http.response.status_code"],
        "c-ip" => &["source.ip"],
        _ => &[],
    }
}

/// Sigma name to OCSF paths (Process, Module, File System, Network and DNS Activity classes).
pub fn ocsf(sigma: &str) -> &'static [&'static str] {
    match sigma {
        "Image" | "NewProcessName" => &["process.file.path"],
        "ParentImage" => &["process.parent_process.file.path"],
        "CommandLine" => &["process.cmd_line"],
        "ParentCommandLine" => &["process.parent_process.cmd_line"],
        "ProcessId" => &["process.pid"],
        "ParentProcessId" => &["process.parent_process.pid"],
        "CurrentDirectory" => &["process.working_directory"],
        "User" | "SubjectUserName" => &["actor.user.name", "process.user.name"],
        "TargetUserName" => &["user.name"],
        "TargetFilename" => &["file.path"],
        "ImageLoaded" => &["module.file.path"],
        "DestinationIp" => &["dst_endpoint.ip"],
        "DestinationPort" => &["dst_endpoint.port"],
        "DestinationHostname" => &["dst_endpoint.hostname"],
        "SourceIp" => &["src_endpoint.ip"],
        "SourcePort" => &["src_endpoint.port"],
        "QueryName" => &["query.hostname"],
        "TargetObject" => &["reg_value.path", "reg_key.path"],
        "Computer" | "ComputerName" | "Hostname" => &["device.hostname"],
        "EventID" => &["metadata.event_code"],
        _ => &[],
    }
}

/// Wazuh 4.x decodes Windows events into `data.win.system` and `data.win.eventdata`, with the
/// first letter of each Windows name lower-cased (`Image` → `image`, `EventID` → `eventID`).
/// A few System names differ beyond that.
pub fn wazuh_system(sigma: &str) -> Option<&'static str> {
    match sigma {
        "EventID" => Some("eventID"),
        "Channel" => Some("channel"),
        "Provider_Name" => Some("providerName"),
        "Computer" | "ComputerName" => Some("computer"),
        "Level" => Some("level"),
        _ => None,
    }
}
