//! The OCSF 1.8.0 Detection Finding (class 2004) as the normalizer must produce it: the class
//! identity, the required attributes and at-least-one constraints of the class and of the
//! objects Palisade emits, and the allowed values of their enumerated attributes. `validate`
//! checks a finding against these and names every violation; it knows nothing of how a finding
//! was built.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

const EMBEDDED: &str = include_str!("../../data/ocsf-detection-finding.json");

static CATALOG: LazyLock<Option<OcsfCatalog>> =
    LazyLock::new(|| serde_json::from_str(EMBEDDED).ok());

/// An enumerated attribute: its allowed ids with captions, and the string attribute that carries
/// the caption next to it (`severity` beside `severity_id`).
#[derive(Debug, Deserialize)]
pub struct OcsfEnum {
    pub sibling: Option<String>,
    pub values: BTreeMap<String, String>,
}

impl OcsfEnum {
    pub fn caption(&self, id: i64) -> Option<&str> {
        self.values.get(&id.to_string()).map(String::as_str)
    }
}

#[derive(Debug, Deserialize)]
pub struct OcsfObject {
    pub required: Vec<String>,
    pub at_least_one: Vec<String>,
    pub enums: BTreeMap<String, OcsfEnum>,
    /// Attribute name to the object it holds, for the objects the catalog describes.
    pub children: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct OcsfClass {
    pub uid: u32,
    pub name: String,
    pub category_uid: u32,
    pub category_name: String,
    #[serde(flatten)]
    pub shape: OcsfObject,
}

#[derive(Debug, Deserialize)]
pub struct OcsfCatalog {
    pub version: String,
    pub class: OcsfClass,
    pub objects: BTreeMap<String, OcsfObject>,
}

impl OcsfCatalog {
    /// The catalog compiled into the crate. `None` only if the embedded file were corrupt, which
    /// the crate's tests rule out.
    pub fn embedded() -> Option<&'static OcsfCatalog> {
        CATALOG.as_ref()
    }

    pub fn object(&self, name: &str) -> Option<&OcsfObject> {
        self.objects.get(name)
    }

    /// Every way `finding` departs from the class: missing required attributes, unmet
    /// at-least-one constraints, enum ids outside the schema, and captions that disagree with
    /// their ids. Each violation names the attribute path.
    pub fn validate(&self, finding: &Value) -> Vec<String> {
        let mut violations = Vec::new();
        self.check_object(&self.class.shape, finding, "", &mut violations);
        violations
    }

    fn check_object(&self, shape: &OcsfObject, value: &Value, path: &str, out: &mut Vec<String>) {
        let Some(object) = value.as_object() else {
            out.push(format!("{} is not an object", display(path)));
            return;
        };
        for attribute in &shape.required {
            if object.get(attribute).is_none_or(Value::is_null) {
                out.push(format!("required attribute {path}{attribute} is missing"));
            }
        }
        if !shape.at_least_one.is_empty()
            && !shape.at_least_one.iter().any(|a| object.get(a).is_some_and(|v| !v.is_null()))
        {
            out.push(format!("{} needs one of {:?}", display(path), shape.at_least_one));
        }
        for (attribute, allowed) in &shape.enums {
            if let Some(id) = object.get(attribute) {
                check_enum(attribute, allowed, id, object, path, out);
            }
        }
        for (attribute, child) in &shape.children {
            let (Some(value), Some(child_shape)) = (object.get(attribute), self.object(child))
            else {
                continue;
            };
            match value {
                Value::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        let item_path = format!("{path}{attribute}[{index}].");
                        self.check_object(child_shape, item, &item_path, out);
                    }
                }
                other => self.check_object(child_shape, other, &format!("{path}{attribute}."), out),
            }
        }
    }
}

fn check_enum(
    attribute: &str,
    allowed: &OcsfEnum,
    id: &Value,
    object: &serde_json::Map<String, Value>,
    path: &str,
    out: &mut Vec<String>,
) {
    let Some(number) = id.as_i64() else {
        out.push(format!("{path}{attribute} is not an integer: {id}"));
        return;
    };
    let Some(caption) = allowed.caption(number) else {
        out.push(format!("{path}{attribute} = {number} is not one of the schema's values"));
        return;
    };
    // For `Other` (99) the sibling carries the source's own word, so it need not match.
    let sibling = allowed.sibling.as_deref().and_then(|s| object.get(s).map(|v| (s, v)));
    if let Some((name, Value::String(text))) = sibling
        && number != 99
        && text != caption
    {
        out.push(format!("{path}{name} = {text:?} but {attribute} {number} is {caption:?}"));
    }
}

fn display(path: &str) -> &str {
    if path.is_empty() { "the finding" } else { path.trim_end_matches('.') }
}
