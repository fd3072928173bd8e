//! An event as Sigma rules see it. [`SigmaEvent`] wraps a JSON event, recognizes its layout —
//! a flat field map, a Windows event-log record as the `evtx` crate writes it (`Event.System`,
//! `Event.EventData` / `Event.UserData`), a Wazuh 4.x alert or archive line, an ECS document, an
//! OCSF event — and answers field lookups by Sigma name (`Image`, `EventID`) from wherever that
//! layout keeps the field. It never copies the event; lookups borrow from it.

use crate::sigma::fieldmap;
use rsigma_eval::event::{Event, EventValue, JsonEvent};
use serde_json::{Map, Value};
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Sigma's own names at the top level (`{"Image": …, "CommandLine": …}`).
    Flat,
    /// `evtx` JSON: `{"Event": {"System": {…}, "EventData": {…}}}`.
    WindowsEventLog,
    /// A Wazuh 4.x alert or archive line (`data.win.eventdata`, `data.srcip` …).
    Wazuh,
    /// ECS: Elastic, Winlogbeat, Wazuh 5.x.
    Ecs,
    /// An OCSF event (`class_uid`, `metadata`).
    Ocsf,
}

pub struct SigmaEvent<'a> {
    root: JsonEvent<'a>,
    value: &'a Value,
    layout: Layout,
    /// For Windows layouts: the event data and system maps, found once.
    event_data: Option<&'a Map<String, Value>>,
    system: Option<&'a Map<String, Value>>,
    /// `EventData.Data`: classic events' named entries that were not flattened into keys.
    data_entries: Option<&'a Vec<Value>>,
    /// Whether the event data names its fields with spaces (`Threat Name`, as Defender does),
    /// which Sigma rules write without them (`ThreatName`).
    spaced_names: bool,
}

impl<'a> SigmaEvent<'a> {
    pub fn new(value: &'a Value) -> SigmaEvent<'a> {
        SigmaEvent::with_layout(value, detect_layout(value))
    }

    pub fn with_layout(value: &'a Value, layout: Layout) -> SigmaEvent<'a> {
        let (event_data, system) = match layout {
            Layout::WindowsEventLog => {
                let event = value.get("Event");
                let data = event.and_then(|e| {
                    e.get("EventData").filter(|d| d.is_object()).or_else(|| user_data(e))
                });
                (
                    data.and_then(Value::as_object),
                    event.and_then(|e| e.get("System")).and_then(Value::as_object),
                )
            }
            Layout::Wazuh => {
                let win = value.get("data").and_then(|d| d.get("win"));
                let data = win.and_then(|w| w.get("eventdata")).and_then(Value::as_object);
                (data, win.and_then(|w| w.get("system")).and_then(Value::as_object))
            }
            _ => (None, None),
        };
        // Providers that name fields with spaces name them all so; looking at the first and last
        // key only keeps this off the per-event cost of every other record.
        let spaced = |key: Option<&String>| key.is_some_and(|k| k.contains(' '));
        let spaced_names = event_data
            .is_some_and(|data| spaced(data.keys().next()) || spaced(data.keys().next_back()));
        // Looked up once here: a field the data lacks would otherwise look for it again.
        let data_entries = event_data.and_then(|data| data.get("Data")?.as_array());
        SigmaEvent {
            root: JsonEvent::borrow(value),
            value,
            layout,
            event_data,
            system,
            data_entries,
            spaced_names,
        }
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    pub fn json(&self) -> &'a Value {
        self.value
    }

    /// A field by Sigma name as text (numbers printed), borrowed where the event has a string.
    pub fn field_text(&self, sigma_name: &str) -> Option<Cow<'a, str>> {
        match self.resolve(sigma_name)? {
            Value::String(text) => Some(Cow::Borrowed(text.as_str())),
            Value::Number(number) => Some(Cow::Owned(number.to_string())),
            _ => None,
        }
    }

    /// A field of the record's system part (`Event.System`, Wazuh's `data.win.system`) by Sigma
    /// name; for layouts without one, the field wherever the layout keeps it. Routing reads the
    /// channel, provider and event id here, for every event, without probing the event data.
    pub fn system_field(&self, sigma_name: &str) -> Option<&'a Value> {
        match self.layout {
            Layout::WindowsEventLog => self.windows_system_field(sigma_name),
            Layout::Wazuh => self.wazuh_system_field(sigma_name),
            _ => self.resolve(sigma_name),
        }
    }

    /// Where the layout keeps the field named `sigma_name`, if it does.
    fn resolve(&self, sigma_name: &str) -> Option<&'a Value> {
        match self.layout {
            Layout::Flat => crate::json::lookup(self.value, sigma_name),
            Layout::WindowsEventLog => self.windows_field(sigma_name),
            Layout::Wazuh => self.wazuh_field(sigma_name),
            Layout::Ecs => fieldmap::ecs(sigma_name)
                .iter()
                .find_map(|p| crate::json::lookup(self.value, p))
                // Winlogbeat keeps the Windows event data under its original names.
                .or_else(|| self.value.get("winlog")?.get("event_data")?.get(sigma_name)),
            Layout::Ocsf => {
                fieldmap::ocsf(sigma_name).iter().find_map(|p| crate::json::lookup(self.value, p))
            }
        }
    }

    fn windows_field(&self, name: &str) -> Option<&'a Value> {
        if let Some(found) = self.event_data.and_then(|data| data.get(name)) {
            return Some(found);
        }
        if let Some(found) = self.data_entries.and_then(|entries| named_entry(entries, name)) {
            return Some(found);
        }
        if self.spaced_names
            && let Some(found) = self.event_data.and_then(|data| spaced_field(data, name))
        {
            return Some(found);
        }
        self.windows_system_field(name)
    }

    fn windows_system_field(&self, name: &str) -> Option<&'a Value> {
        let system = self.system?;
        match name {
            "Provider_Name" => lookup(system, &["Provider", "#attributes", "Name"]),
            "Provider_Guid" => lookup(system, &["Provider", "#attributes", "Guid"]),
            "TimeCreated" => lookup(system, &["TimeCreated", "#attributes", "SystemTime"]),
            "ProcessID" => lookup(system, &["Execution", "#attributes", "ProcessID"]),
            "UserID" => lookup(system, &["Security", "#attributes", "UserID"]),
            _ => system.get(name).map(|v| v.get("#text").unwrap_or(v)),
        }
    }

    fn wazuh_field(&self, name: &str) -> Option<&'a Value> {
        let lowered = lower_first(name);
        if let Some(found) = self.event_data.and_then(|data| data.get(&lowered)) {
            return Some(found);
        }
        self.system?.get(fieldmap::wazuh_system(name).unwrap_or(&lowered))
    }

    fn wazuh_system_field(&self, name: &str) -> Option<&'a Value> {
        let system = self.system?;
        match fieldmap::wazuh_system(name) {
            Some(key) => system.get(key),
            None => system.get(&lower_first(name)),
        }
    }
}

fn detect_layout(value: &Value) -> Layout {
    let Some(object) = value.as_object() else { return Layout::Flat };
    let event = object.get("Event");
    if event.is_some_and(|e| e.get("System").is_some()) {
        return Layout::WindowsEventLog;
    }
    if object.contains_key("class_uid") && object.contains_key("metadata") {
        return Layout::Ocsf;
    }
    let wazuh_decoded = object.get("decoder").is_some() && object.get("agent").is_some();
    if wazuh_decoded || object.get("data").is_some_and(|d| d.get("win").is_some()) {
        return Layout::Wazuh;
    }
    const ECS_ROOTS: [&str; 6] = ["@timestamp", "ecs", "winlog", "process", "event", "host"];
    let nested_ecs = ECS_ROOTS.iter().any(|k| object.get(*k).is_some_and(Value::is_object));
    let flat_ecs = object.keys().any(|k| k.starts_with("process.") || k.starts_with("event."));
    if object.contains_key("@timestamp") || nested_ecs || flat_ecs {
        return Layout::Ecs;
    }
    Layout::Flat
}

/// `UserData` holds one element named by the provider (`{"EventXML": {…}}`); its children are
/// the fields.
fn user_data(event: &Value) -> Option<&Value> {
    event.get("UserData")?.as_object()?.values().find(|v| v.is_object())
}

/// The `Data` entry whose `Name` attribute is `name` (the shape of classic events whose data has
/// names but was not flattened into keys).
fn named_entry<'a>(entries: &'a [Value], name: &str) -> Option<&'a Value> {
    entries.iter().find_map(|entry| {
        let named = entry.get("#attributes")?.get("Name")?.as_str()? == name;
        named.then(|| entry.get("#text").unwrap_or(&Value::Null))
    })
}

fn spaced_field<'a>(data: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    data.iter().find(|(key, _)| key.contains(' ') && key.replace(' ', "") == name).map(|(_, v)| v)
}

fn lookup<'a>(object: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(object.get(*first)?, |value, key| value.get(key))
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Event for SigmaEvent<'_> {
    fn get_field(&self, path: &str) -> Option<EventValue<'_>> {
        // A flat event is read by rsigma's own JSON lookup (flat keys, dots, array indexes).
        let mapped = if self.layout == Layout::Flat { None } else { self.resolve(path) };
        match mapped {
            Some(value) => Some(EventValue::from(value)),
            None => self.root.get_field(path),
        }
    }

    fn any_string_value(&self, pred: &dyn Fn(&str) -> bool) -> bool {
        self.root.any_string_value(pred)
    }

    fn all_string_values(&self) -> Vec<Cow<'_, str>> {
        self.root.all_string_values()
    }

    fn visit_string_values(&self, visit: &mut dyn FnMut(&str)) {
        self.root.visit_string_values(visit)
    }

    fn to_json(&self) -> Value {
        self.value.clone()
    }

    /// Only a flat event's top-level keys are its Sigma field names; for the other layouts the
    /// candidate index must probe every field through `get_field`.
    fn visit_top_level_keys(&self, visit: &mut dyn FnMut(&str)) -> bool {
        match self.layout {
            Layout::Flat => self.root.visit_top_level_keys(visit),
            _ => false,
        }
    }
}
