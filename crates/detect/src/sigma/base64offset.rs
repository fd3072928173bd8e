//! The Sigma `base64offset` modifier, done as the specification (and pySigma) does it. A value
//! can sit at any of three byte offsets inside base64-encoded data; each offset gives an
//! encoding whose first and last characters depend on the neighbouring bytes, so those are cut
//! off. rsigma 0.23 keeps the trailing one, and then misses the value whenever other data
//! follows it. This rewrites such items, before compilation, into a `contains` on the three
//! correct encodings, applying the `wide`/`utf16le`, `utf16be` and `utf16` encodings first.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsigma_parser::{Detection, DetectionItem, Modifier, SigmaRule, SigmaString, SigmaValue};

/// Where each offset's encoding starts, and (by the encoded length modulo 3) where it ends.
const START: [usize; 3] = [0, 2, 3];
const END_CUT: [usize; 3] = [0, 3, 2];

pub fn rewrite(rule: &mut SigmaRule) {
    for detection in rule.detection.named.values_mut() {
        rewrite_detection(detection);
    }
}

fn rewrite_detection(detection: &mut Detection) {
    match detection {
        Detection::AllOf(items) => items.iter_mut().for_each(rewrite_item),
        Detection::AnyOf(children) | Detection::And(children) => {
            children.iter_mut().for_each(rewrite_detection)
        }
        Detection::ArrayMatch { body, .. } => rewrite_detection(body),
        _ => {}
    }
}

fn rewrite_item(item: &mut DetectionItem) {
    let modifiers = &item.field.modifiers;
    // With `all`, every value's three encodings would have to be grouped; that rare shape is
    // left to rsigma.
    if !modifiers.contains(&Modifier::Base64Offset) || modifiers.contains(&Modifier::All) {
        return;
    }
    let Some(values) = item.values.iter().map(plain).collect::<Option<Vec<String>>>() else {
        return;
    };
    let encode: fn(&str) -> Vec<u8> = if modifiers.contains(&Modifier::Wide) {
        utf16le
    } else if modifiers.contains(&Modifier::Utf16be) {
        utf16be
    } else if modifiers.contains(&Modifier::Utf16) {
        utf16_with_bom
    } else {
        |text| text.as_bytes().to_vec()
    };
    item.values = values
        .iter()
        .flat_map(|value| offsets(&encode(value)))
        .map(|encoded| SigmaValue::String(SigmaString::from_raw(&encoded)))
        .collect();
    item.field.modifiers.retain(|m| {
        !matches!(m, Modifier::Base64Offset | Modifier::Wide | Modifier::Utf16be | Modifier::Utf16)
    });
    if !item.field.modifiers.contains(&Modifier::Contains) {
        item.field.modifiers.push(Modifier::Contains);
    }
}

fn plain(value: &SigmaValue) -> Option<String> {
    match value {
        SigmaValue::String(text) => text.as_plain(),
        _ => None,
    }
}

/// The three encodings of `bytes` at offsets 0, 1 and 2, trimmed to the characters that do not
/// depend on what surrounds it.
pub fn offsets(bytes: &[u8]) -> Vec<String> {
    (0..3)
        .filter_map(|shift| {
            let mut shifted = vec![b' '; shift];
            shifted.extend_from_slice(bytes);
            let encoded = STANDARD.encode(&shifted);
            let end = encoded.len().checked_sub(END_CUT[(bytes.len() + shift) % 3])?;
            encoded.get(START[shift]..end).filter(|s| !s.is_empty()).map(String::from)
        })
        .collect()
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn utf16be(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

fn utf16_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(utf16le(text));
    bytes
}
