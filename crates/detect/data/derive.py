#!/usr/bin/env python3
"""Derives the compact catalogs the detect crate embeds from the reference data in shared/data.

The product never reads shared/data at run time: this script is run by hand when the OCSF schema
or the ATT&CK release changes, and its outputs are committed next to it:

  attack-enterprise.tsv   ATT&CK tactics and techniques (id, name, tactics, deprecated)
  ocsf-detection-finding.json
                          what the normalizer and its schema test need of OCSF: the Detection
                          Finding class with its inherited attributes resolved, the required
                          attributes and at-least-one constraints of the objects Palisade emits,
                          the enum values of their enumerated attributes, and the observable
                          type ids.

Usage: python3 crates/detect/data/derive.py [SHARED_DATA_DIR]   (default: ../shared/data beside the repository)
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OBJECTS = [
    "metadata", "product", "finding_info", "analytic", "attack", "tactic", "technique",
    "sub_technique", "observable", "resource_details",
]


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def resolve(schema_dir, kind, name, dictionary):
    """Walks `extends` up to the root and merges attributes, children overriding parents."""
    chain = []
    folder = schema_dir / ("objects" if kind == "object" else "events")
    current = name
    while current and current != "object":
        matches = list(folder.rglob(f"{current}.json"))
        if not matches:
            break
        document = load(matches[0])
        chain.append(document)
        current = document.get("extends")
    attributes, constraints = {}, {}
    for document in reversed(chain):
        constraints.update(document.get("constraints") or {})
        for attr, spec in document.get("attributes", {}).items():
            if attr == "$include" or not isinstance(spec, dict):
                continue
            merged = dict(attributes.get(attr, {}))
            merged.update({k: v for k, v in spec.items() if v is not None})
            attributes[attr] = merged
    for attr, spec in attributes.items():
        spec.setdefault("requirement", "optional")
        base = dictionary.get(attr, {})
        if "enum" not in spec and "enum" in base:
            spec["enum"] = base["enum"]
        elif "enum" in spec:
            # A class narrows the dictionary's enum; the generic Unknown/Other stay valid.
            for generic in ("0", "99"):
                if generic in base.get("enum", {}):
                    spec["enum"].setdefault(generic, base["enum"][generic])
        spec["sibling"] = base.get("sibling")
    return chain[0] if chain else {}, attributes, constraints


def summarize(attributes, constraints, dictionary):
    # Which attributes hold one of the objects Palisade emits, so a validator can descend.
    children = {
        attr: dictionary[attr]["type"]
        for attr in sorted(attributes)
        if dictionary.get(attr, {}).get("type") in OBJECTS
    }
    required = sorted(a for a, s in attributes.items() if s["requirement"] == "required")
    enums = {
        attr: {
            "sibling": spec.get("sibling"),
            "values": {k: v.get("caption", "") for k, v in sorted(spec["enum"].items(), key=lambda kv: int(kv[0]))},
        }
        for attr, spec in sorted(attributes.items())
        if "enum" in spec
    }
    return {
        "required": required,
        "at_least_one": constraints.get("at_least_one", []),
        "enums": enums,
        "children": children,
    }


def derive_ocsf(schema_dir):
    dictionary = load(schema_dir / "dictionary.json")
    attrs = dictionary["attributes"]
    document, attributes, constraints = resolve(schema_dir, "event", "detection_finding", attrs)
    categories = load(schema_dir / "categories.json")["attributes"]
    category = categories[document["category"]] if "category" in document else categories["findings"]
    class_uid = category["uid"] * 1000 + document["uid"]
    out = {
        "attribution": "Derived from OCSF schema 1.8.0 (Apache-2.0, https://schema.ocsf.io) by data/derive.py.",
        "version": load(schema_dir / "version.json")["version"],
        "class": {
            "uid": class_uid,
            "name": document["caption"],
            "category_uid": category["uid"],
            "category_name": category["caption"],
            **summarize(attributes, constraints, attrs),
        },
        "objects": {},
        "observable_types": {},
    }
    # The base event's enums for these are placeholders the schema server fills in per class.
    enums = out["class"]["enums"]
    enums["category_uid"]["values"] = {str(category["uid"]): category["caption"]}
    enums["class_uid"]["values"] = {str(class_uid): document["caption"]}
    enums["type_uid"] = {
        "sibling": "type_name",
        "values": {
            str(class_uid * 100 + int(activity)): f"{document['caption']}: {caption}"
            for activity, caption in enums["activity_id"]["values"].items()
        },
    }
    for type_name, spec in dictionary["types"]["attributes"].items():
        if "observable" in spec:
            out["observable_types"][str(spec["observable"])] = {"type": type_name, "caption": spec["caption"]}
    for name in OBJECTS:
        _, attributes, constraints = resolve(schema_dir, "object", name, attrs)
        out["objects"][name] = summarize(attributes, constraints, attrs)
    # Observable type ids are declared on the types (and on some attributes and objects), not
    # in the observable object's enum, which only carries Unknown and Other.
    observable_enum = out["objects"]["observable"]["enums"]["type_id"]["values"]
    for type_id, spec in out["observable_types"].items():
        observable_enum[type_id] = spec["caption"]
    out["objects"]["observable"]["enums"]["type_id"]["values"] = dict(
        sorted(observable_enum.items(), key=lambda kv: int(kv[0]))
    )
    return out


def derive_attack(attack_file):
    data = load(attack_file)
    lines = [
        f"# Derived from {data['source']}",
        "# by data/derive.py. Columns: kind, id, name, tactic shortnames (comma-separated), deprecated.",
    ]
    for tactic in data["tactics"]:
        lines.append("\t".join(["tactic", tactic["id"], tactic["name"], tactic["shortname"], "false"]))
    for technique in sorted(data["techniques"], key=lambda t: t["id"]):
        deprecated = "true" if technique.get("deprecated") or technique.get("revoked") else "false"
        lines.append("\t".join(["technique", technique["id"], technique["name"], ",".join(technique["tactics"]), deprecated]))
    return "\n".join(lines) + "\n"


def main():
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "data"
    if not shared.exists():
        sys.exit(f"{shared} does not exist; pass the shared data directory")
    ocsf = derive_ocsf(shared / "ocsf-1.8.0")
    (HERE / "ocsf-detection-finding.json").write_text(json.dumps(ocsf, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (HERE / "attack-enterprise.tsv").write_text(derive_attack(shared / "attack" / "enterprise-attack-v18.1.json"), encoding="utf-8")


if __name__ == "__main__":
    main()
