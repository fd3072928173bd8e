//! A push's body as items. A JSON array is split into its elements before any of them is
//! parsed, so a malformed element (a number out of range, say) is refused alone; a body of
//! several lines that is not one JSON value is NDJSON; an object is one alert unless the source
//! wraps its batches (Sentinel's `value`, Elastic's `context.alerts`). Each item keeps its exact
//! text, stored as the raw payload. Text holding a NUL character is refused per item: PostgreSQL
//! cannot store it.

use crate::error::AlertsError;
use crate::ingest::MAX_INGEST_ITEMS;
use crate::ingest::prepare::Rejection;
use detect::SourceKind;
use platform::FieldCode;
use serde_json::Value;
use serde_json::value::RawValue;

/// One item of a push: its position, and its JSON with the exact text it was sent as.
#[derive(Debug)]
pub struct Item {
    pub index: usize,
    pub parsed: Result<(Value, String), Rejection>,
}

/// The items of `body`. `ndjson` is what the client declared (`application/x-ndjson`); a JSON
/// body of several lines that is not one value is read as NDJSON too.
pub fn read_items(source: SourceKind, body: &[u8], ndjson: bool) -> Result<Vec<Item>, AlertsError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AlertsError::UnreadableBody("the body is not UTF-8 text".into()))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(AlertsError::UnreadableBody("the body is empty".into()));
    }
    let items = if ndjson {
        lines(trimmed)
    } else if trimmed.starts_with('[') {
        array(trimmed)?
    } else {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(value) => wrapped(source, value, trimmed),
            Err(_) if trimmed.contains('\n') => lines(trimmed),
            Err(error) => {
                return Err(AlertsError::UnreadableBody(format!("the body is not JSON: {error}")));
            }
        }
    };
    if items.len() > MAX_INGEST_ITEMS {
        return Err(AlertsError::TooManyItems { max: MAX_INGEST_ITEMS, found: items.len() });
    }
    Ok(items)
}

fn array(text: &str) -> Result<Vec<Item>, AlertsError> {
    let elements: Vec<&RawValue> = serde_json::from_str(text).map_err(|error| {
        AlertsError::UnreadableBody(format!("the body is not a JSON array: {error}"))
    })?;
    if elements.len() > MAX_INGEST_ITEMS {
        return Err(AlertsError::TooManyItems { max: MAX_INGEST_ITEMS, found: elements.len() });
    }
    Ok(elements.into_iter().enumerate().map(|(index, raw)| item(index, raw.get())).collect())
}

fn lines(text: &str) -> Vec<Item> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(index, line)| item(index, line))
        .collect()
}

/// One object, or the batch a source wraps in one.
fn wrapped(source: SourceKind, value: Value, text: &str) -> Vec<Item> {
    let listed = detect::split_batch(source, &value);
    let is_wrapper = listed.len() != 1 || !std::ptr::eq(listed[0], &value);
    if !is_wrapper {
        return vec![checked(0, value, text.to_string())];
    }
    listed
        .into_iter()
        .enumerate()
        .map(|(index, element)| {
            let text = element.to_string();
            checked(index, element.clone(), text)
        })
        .collect()
}

fn item(index: usize, text: &str) -> Item {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => checked(index, value, text.to_string()),
        Err(error) => Item {
            index,
            parsed: Err(Rejection::new(FieldCode::INVALID_JSON, format!("not JSON: {error}"))),
        },
    }
}

fn checked(index: usize, value: Value, text: String) -> Item {
    let parsed = match has_nul(&value) {
        true => Err(Rejection::new(
            FieldCode::INVALID_TEXT,
            "text must not contain the NUL character (\\u0000)",
        )),
        false => Ok((value, text)),
    };
    Item { index, parsed }
}

fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(key, value)| key.contains('\0') || has_nul(value)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexes_and_codes(items: &[Item]) -> Vec<(usize, Option<FieldCode>)> {
        items.iter().map(|i| (i.index, i.parsed.as_ref().err().map(|r| r.code))).collect()
    }

    #[test]
    fn an_array_is_split_before_its_elements_are_parsed() {
        let body = br#"[{"a": 1}, {"b": 1e400}, 7, {"c": "x\u0000"}]"#;
        let items = read_items(SourceKind::Palisade, body, false).unwrap_or_default();
        assert_eq!(
            indexes_and_codes(&items),
            [
                (0, None),
                (1, Some(FieldCode::INVALID_JSON)),
                (2, None),
                (3, Some(FieldCode::INVALID_TEXT))
            ]
        );
        assert_eq!(
            items[0].parsed.as_ref().map(|(_, text)| text.as_str()).ok(),
            Some(r#"{"a": 1}"#)
        );
    }

    #[test]
    fn ndjson_is_read_line_by_line_whether_declared_or_not() {
        let body = b"{\"a\": 1}\n\n{broken\n{\"c\": 3}\n";
        for declared in [true, false] {
            let items = read_items(SourceKind::Wazuh, body, declared).unwrap_or_default();
            let codes = indexes_and_codes(&items);
            assert_eq!(codes, [(0, None), (1, Some(FieldCode::INVALID_JSON)), (2, None)]);
        }
    }

    #[test]
    fn a_sentinel_export_is_unwrapped_and_other_objects_are_one_item() {
        let body = br#"{"value": [{"SystemAlertId": "1"}, {"SystemAlertId": "2"}]}"#;
        assert_eq!(read_items(SourceKind::Sentinel, body, false).map(|i| i.len()).ok(), Some(2));
        assert_eq!(read_items(SourceKind::Palisade, body, false).map(|i| i.len()).ok(), Some(1));
    }

    #[test]
    fn unreadable_and_oversized_bodies_are_refused_whole() {
        for body in [&b""[..], b"   ", b"{not json", b"[1, 2", b"\xff\xfe"] {
            let refused = read_items(SourceKind::Palisade, body, false);
            assert!(matches!(refused, Err(AlertsError::UnreadableBody(_))), "{body:?}");
        }
        let many = format!("[{}1]", "1,".repeat(MAX_INGEST_ITEMS));
        let refused = read_items(SourceKind::Palisade, many.as_bytes(), false);
        assert!(matches!(refused, Err(AlertsError::TooManyItems { found: 10_001, .. })));
    }
}
