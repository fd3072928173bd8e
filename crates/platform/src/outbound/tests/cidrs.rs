//! CIDR parsing and containment.

use super::*;

/// Input and its canonical form, or `None` when it must be refused.
const CASES: &[(&str, Option<&str>)] = &[
    ("10.0.0.0/8", Some("10.0.0.0/8")),
    ("0.0.0.0/0", Some("0.0.0.0/0")),
    ("127.0.0.1", Some("127.0.0.1/32")),
    ("192.168.1.0/24", Some("192.168.1.0/24")),
    ("::/0", Some("::/0")),
    ("::1", Some("::1/128")),
    ("fd00::/8", Some("fd00::/8")),
    ("FD00:EC2::254/128", Some("fd00:ec2::254/128")),
    ("::ffff:0:0/96", Some("::ffff:0.0.0.0/96")),
    ("10.0.0.1/8", None),
    ("fd00::1/8", None),
    ("10.0.0.0/33", None),
    ("::/129", None),
    ("10.0.0.0/", None),
    ("10.0.0.0/+8", None),
    ("10.0.0.0/-8", None),
    ("10.0.0.0/8/8", None),
    ("10.0.0.0/x", None),
    ("010.0.0.0/8", None),
    ("10.0.0/8", None),
    ("0x0a.0.0.0/8", None),
    ("167772160/8", None),
    ("fe80::%eth0/64", None),
    (" 10.0.0.0/8", None),
    ("example.com/32", None),
    ("", None),
    ("/8", None),
];

#[test]
fn cidr_blocks_parse_strictly_into_their_canonical_form() {
    for (text, want) in CASES {
        let got = Cidr::parse(text).map(|cidr| cidr.to_string()).ok();
        assert_eq!(got.as_deref(), *want, "{text}");
    }
}

#[test]
fn a_block_contains_exactly_its_own_family_and_range() {
    let cidr: Cidr = "10.0.0.0/8".parse().unwrap();
    assert_eq!(cidr.network(), "10.0.0.0".parse::<IpAddr>().unwrap());
    assert_eq!(cidr.prefix_len(), 8);
    assert!(cidr.contains("10.255.255.255".parse().unwrap()));
    assert!(!cidr.contains("11.0.0.0".parse().unwrap()));
    assert!(!cidr.contains("9.255.255.255".parse().unwrap()));
    assert!(!cidr.contains("::ffff:10.0.0.1".parse().unwrap()));
    let all_v4 = Cidr::parse("0.0.0.0/0").unwrap();
    assert!(all_v4.contains("255.255.255.255".parse().unwrap()));
    assert!(!all_v4.contains("::".parse().unwrap()));
    let one_v6 = Cidr::parse("::1").unwrap();
    assert!(one_v6.contains("::1".parse().unwrap()));
    assert!(!one_v6.contains("::2".parse().unwrap()));
}

#[test]
fn a_list_of_blocks_is_split_on_commas_and_trimmed() {
    let list = Cidr::parse_list(" 127.0.0.0/8, ::1/128 ,,").unwrap();
    let shown: Vec<String> = list.iter().map(Cidr::to_string).collect();
    assert_eq!(shown, ["127.0.0.0/8", "::1/128"]);
    let err = Cidr::parse_list("127.0.0.0/8, nope").unwrap_err();
    assert_eq!(err.input, "nope");
}
