//! Asset values, port specs and target expansion, as a user typing them would see them.

use std::net::IpAddr;

use surface_engine::values::{
    AssetError, AssetKind, AssetValue, Cidr, CidrError, DomainError, DomainName, PortProfile,
    PortSpec, PortSpecError, ScanTarget, Target, TargetError, expand,
};

fn canonical(kind: AssetKind, text: &str) -> Option<String> {
    AssetValue::parse(kind, text).ok().map(|value| value.to_string())
}

#[test]
fn domains_are_stored_lowercase_idna_encoded_and_without_the_root_dot() {
    let cases = [
        ("Example.COM", Some("example.com")),
        ("example.com.", Some("example.com")),
        ("bücher.example", Some("xn--bcher-kva.example")),
        ("xn--bcher-kva.example", Some("xn--bcher-kva.example")),
        ("a-b.c-d.example", Some("a-b.c-d.example")),
        ("localhost", None),
        ("-bad.example", None),
        ("bad-.example", None),
        ("two..dots.example", None),
        (".leading.example", None),
        ("under_score.example", None),
        ("space here.example", None),
        ("*.example.com", None),
        ("1.2.3.999", None),
        ("", None),
        (".", None),
    ];
    for (text, want) in cases {
        assert_eq!(canonical(AssetKind::Domain, text).as_deref(), want, "{text:?}");
    }
}

#[test]
fn domain_errors_name_what_is_wrong() {
    let long_label = format!("{}.example", "a".repeat(64));
    assert!(matches!(DomainName::parse(&long_label), Err(DomainError::LabelTooLong { .. })));
    let long_name = format!("{}example", "abcdefghi.".repeat(26));
    assert!(matches!(DomainName::parse(&long_name), Err(DomainError::TooLong { .. })));
    let underscore = DomainName::parse("my_host.example").unwrap_err();
    assert!(underscore.to_string().contains('_'), "{underscore}");
    let single = DomainName::parse("intranet").unwrap_err();
    assert!(single.to_string().contains("intranet.example.com"), "{single}");
}

#[test]
fn ip_assets_take_their_canonical_text_and_mapped_ipv4_becomes_ipv4() {
    let cases = [
        ("192.0.2.10", Some("192.0.2.10")),
        ("2001:DB8::0:1", Some("2001:db8::1")),
        ("::ffff:192.0.2.1", Some("192.0.2.1")),
        ("010.0.0.1", None),
        ("192.0.2", None),
        ("192.0.2.256", None),
        ("fe80::1%eth0", None),
        ("example.com", None),
    ];
    for (text, want) in cases {
        assert_eq!(canonical(AssetKind::Ip, text).as_deref(), want, "{text:?}");
    }
}

#[test]
fn cidr_assets_are_canonical_and_at_most_65536_addresses() {
    let cases = [
        ("192.0.2.0/24", Some("192.0.2.0/24")),
        ("10.0.0.0/16", Some("10.0.0.0/16")),
        ("10.0.0.0/15", None),
        ("192.0.2.7", Some("192.0.2.7/32")),
        ("2001:DB8::/112", Some("2001:db8::/112")),
        ("2001:db8::/111", None),
        ("192.0.2.1/24", None),
        ("192.0.2.0/33", None),
        ("192.0.2.0/024", None),
        ("192.0.2.0/", None),
    ];
    for (text, want) in cases {
        assert_eq!(canonical(AssetKind::Cidr, text).as_deref(), want, "{text:?}");
    }
    let suggestion = Cidr::parse("192.0.2.1/24").unwrap_err();
    assert!(
        matches!(&suggestion, CidrError::HostBitsSet { suggestion, .. } if suggestion == "192.0.2.0/24")
    );
    assert!(matches!(Cidr::parse("10.0.0.0/8"), Err(CidrError::TooLarge { .. })));
}

#[test]
fn an_unknown_asset_kind_is_refused_and_known_ones_round_trip() {
    assert!(matches!(AssetKind::parse("hostname"), Err(AssetError::UnknownKind(_))));
    for kind in [AssetKind::Domain, AssetKind::Ip, AssetKind::Cidr] {
        assert_eq!(AssetKind::parse(kind.as_str()).unwrap(), kind);
    }
    let json = serde_json::to_string(&AssetValue::parse_any("Example.com").unwrap()).unwrap();
    assert_eq!(json, r#"{"kind":"domain","value":"example.com"}"#);
    assert_eq!(AssetValue::parse_any("192.0.2.0/30").unwrap().kind(), AssetKind::Cidr);
    assert_eq!(AssetValue::parse_any("192.0.2.1").unwrap().kind(), AssetKind::Ip);
}

#[test]
fn port_specs_are_sorted_deduplicated_and_merged() {
    let cases = [
        ("22,80,8000-8100", "22,80,8000-8100"),
        ("80, 22 ,22", "22,80"),
        ("8000-8100,8050-8200,8201", "8000-8201"),
        ("1-65535", "1-65535"),
        ("all", "1-65535"),
        ("all,22", "1-65535"),
        ("443-443", "443"),
    ];
    for (text, want) in cases {
        assert_eq!(PortSpec::parse(text).unwrap().to_string(), want, "{text:?}");
    }
}

#[test]
fn port_spec_errors_quote_the_bad_item() {
    let refused = [
        ("", "empty"),
        ("22,,80", "empty item"),
        ("0", "1 to 65535"),
        ("65536", "1 to 65535"),
        ("99999999999", "1 to 65535"),
        ("100-80", "backwards"),
        ("ssh", "`ssh`"),
        ("top-50", "`top-50`"),
        ("-80", "`-80`"),
        ("80-", "`80-`"),
        ("+80", "`+80`"),
    ];
    for (text, words) in refused {
        let error = PortSpec::parse(text).unwrap_err();
        assert!(error.to_string().contains(words), "{text:?}: {error}");
    }
    assert_eq!(PortSpec::from_ports([]), Err(PortSpecError::Empty));
}

#[test]
fn profiles_hold_the_most_common_ports() {
    let top_100 = PortSpec::profile(PortProfile::Top100);
    let top_1000 = PortSpec::parse("top-1000").unwrap();
    assert_eq!(top_100.len(), 100);
    assert_eq!(top_1000.len(), 1000);
    for port in [21, 22, 23, 25, 53, 80, 110, 143, 443, 445, 3306, 3389, 8080] {
        assert!(top_100.contains(port), "top-100 lacks {port}");
    }
    assert!(top_100.iter().all(|port| top_1000.contains(port)));
    assert_eq!(PortSpec::parse("top-100,top-100").unwrap(), top_100);
    assert_eq!(PortSpec::profile(PortProfile::All).len(), 65_535);
}

#[test]
fn targets_expand_to_each_address_once_without_network_and_broadcast() {
    let targets = [Target::parse("192.0.2.0/30").unwrap(), Target::parse("192.0.2.1").unwrap()];
    let expanded: Vec<String> =
        expand(&targets).unwrap().iter().map(|t| t.address().to_string()).collect();
    assert_eq!(expanded, ["192.0.2.1", "192.0.2.2"]);
    let pair: Vec<String> = expand(&[Target::parse("192.0.2.0/31").unwrap()])
        .unwrap()
        .iter()
        .map(|t| t.address().to_string())
        .collect();
    assert_eq!(pair, ["192.0.2.0", "192.0.2.1"]);
    let v6 = expand(&[Target::parse("2001:db8::/126").unwrap()]).unwrap();
    assert_eq!(v6.len(), 4);
    assert_eq!(expand(&[Target::parse("10.1.0.0/16").unwrap()]).unwrap().len(), 65_534);
}

#[test]
fn expansion_refuses_domains_nothing_and_too_many_addresses() {
    assert!(matches!(Target::parse("example.com"), Err(TargetError::DomainNotResolved { .. })));
    assert_eq!(expand(&[]), Err(TargetError::NoTargets));
    let blocks: Vec<Target> = ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"]
        .iter()
        .map(|text| Target::parse(text).unwrap())
        .collect();
    assert_eq!(expand(&blocks), Err(TargetError::TooMany));
    // The same block twice is still one block's worth of addresses.
    let twice = [blocks[0], blocks[0]];
    assert_eq!(expand(&twice).unwrap().len(), 65_534);
}

#[test]
fn a_named_target_keeps_its_domain_and_a_mapped_address_is_ipv4() {
    let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
    let named = ScanTarget::named(mapped, DomainName::parse("Example.com").unwrap());
    assert_eq!(named.address().to_string(), "127.0.0.1");
    assert_eq!(named.server_name().unwrap().as_str(), "example.com");
}
