//! Sigma value matching as the specification defines it, one modifier at a time, each with an
//! event it must match and one it must not.

use crate::support::fires;
use serde_json::json;

#[test]
fn plain_values_match_whole_strings_case_insensitively() {
    let detection =
        "    selection:\n        Image: 'C:\\Windows\\System32\\cmd.exe'\n    condition: selection";
    assert!(fires(detection, &json!({"Image": "c:\\windows\\system32\\CMD.EXE"})));
    assert!(!fires(detection, &json!({"Image": "C:\\Windows\\System32\\cmd.exe.bak"})));
}

#[test]
fn star_and_question_mark_are_wildcards_and_backslash_escapes_them() {
    let detection =
        "    selection:\n        CommandLine: '*\\temp\\\\?.exe *'\n    condition: selection";
    assert!(fires(detection, &json!({"CommandLine": "run C:\\Temp\\a.exe /q"})));
    assert!(!fires(detection, &json!({"CommandLine": "run C:\\Temp\\ab.exe /q"})));
    let literal = "    selection:\n        Title: 'why\\?'\n    condition: selection";
    assert!(fires(literal, &json!({"Title": "why?"})));
    assert!(!fires(literal, &json!({"Title": "whyz"})));
}

#[test]
fn contains_startswith_and_endswith_anchor_as_named() {
    let contains =
        "    selection:\n        CommandLine|contains: 'urlcache'\n    condition: selection";
    assert!(fires(contains, &json!({"CommandLine": "certutil -URLCACHE -f http://x"})));
    assert!(!fires(contains, &json!({"CommandLine": "certutil -decode a b"})));
    let starts =
        "    selection:\n        CommandLine|startswith: 'powershell'\n    condition: selection";
    assert!(fires(starts, &json!({"CommandLine": "PowerShell -nop"})));
    assert!(!fires(starts, &json!({"CommandLine": "cmd /c powershell -nop"})));
    let ends = "    selection:\n        Image|endswith: '\\rundll32.exe'\n    condition: selection";
    assert!(fires(ends, &json!({"Image": "C:\\Windows\\System32\\RUNDLL32.EXE"})));
    assert!(!fires(ends, &json!({"Image": "C:\\Windows\\System32\\rundll32.exe.mui"})));
}

#[test]
fn a_list_of_values_matches_any_of_them_and_all_requires_every_one() {
    let any = "    selection:\n        CommandLine|contains:\n            - 'comsvcs'\n            - 'MiniDump'\n    condition: selection";
    assert!(fires(any, &json!({"CommandLine": "rundll32 MiniDump"})));
    assert!(!fires(any, &json!({"CommandLine": "rundll32 shell32"})));
    let all = "    selection:\n        CommandLine|contains|all:\n            - 'comsvcs'\n            - 'full'\n    condition: selection";
    assert!(fires(all, &json!({"CommandLine": "rundll32 comsvcs.dll MiniDump 624 out.dmp full"})));
    assert!(!fires(all, &json!({"CommandLine": "rundll32 comsvcs.dll MiniDump 624 out.dmp"})));
}

#[test]
fn re_matches_a_regular_expression_case_sensitively_unless_i_is_given() {
    let re = "    selection:\n        CommandLine|re: '-[Ee]nc(odedcommand)? [A-Za-z0-9+/=]{20,}'\n    condition: selection";
    assert!(fires(re, &json!({"CommandLine": "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0A"})));
    assert!(!fires(re, &json!({"CommandLine": "powershell -enc short"})));
    let cased = "    selection:\n        CommandLine|re: 'MiniDump'\n    condition: selection";
    assert!(!fires(cased, &json!({"CommandLine": "minidump"})));
    let insensitive =
        "    selection:\n        CommandLine|re|i: 'MiniDump'\n    condition: selection";
    assert!(fires(insensitive, &json!({"CommandLine": "minidump"})));
}

#[test]
fn base64_matches_the_encoded_value_and_base64offset_every_alignment() {
    // "http://" is aHR0cDovLw== in base64.
    let plain = "    selection:\n        Payload|base64: 'http://'\n    condition: selection";
    assert!(fires(plain, &json!({"Payload": "aHR0cDovLw=="})));
    assert!(!fires(plain, &json!({"Payload": "aHR0cHM6Ly8="})));
    let offset = "    selection:\n        CommandLine|base64offset|contains: 'IEX'\n    condition: selection";
    // base64("xIEX (New") and base64("xxIEX (New") place "IEX" at offsets 1 and 2.
    assert!(fires(offset, &json!({"CommandLine": "powershell -e eElFWCAoTmV3"})));
    assert!(fires(offset, &json!({"CommandLine": "powershell -e eHhJRVggKE5ldw=="})));
    assert!(!fires(offset, &json!({"CommandLine": "powershell -e V3JpdGUtSG9zdA=="})));
}

#[test]
fn wide_base64offset_finds_a_utf16_command_at_any_offset() {
    let detection = "    selection:\n        CommandLine|wide|base64offset|contains: 'IEX ('\n    condition: selection";
    let at_start = "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA";
    let further_in = "powershell -enc JAB4AD0AMQA7AEkARQBYACAAKABOAGUAdwAtAE8AYgBqAGUAYwB0ACAATgBlAHQALgBXAGUAYgBDAGwAaQBlAG4AdAApAA==";
    assert!(fires(detection, &json!({"CommandLine": at_start})));
    assert!(fires(detection, &json!({"CommandLine": further_in})));
    assert!(!fires(
        detection,
        &json!({"CommandLine": "powershell -enc VwByAGkAdABlAC0ASABvAHMAdAAgAGgAaQA="})
    ));
}

#[test]
fn windash_accepts_a_slash_and_the_unicode_dashes_for_a_dash() {
    let detection = "    selection:\n        CommandLine|windash|contains: ' -urlcache '\n    condition: selection";
    for variant in [
        " -urlcache ",
        " /urlcache ",
        " \u{2013}urlcache ",
        " \u{2014}urlcache ",
        " \u{2015}urlcache ",
    ] {
        assert!(
            fires(detection, &json!({"CommandLine": format!("certutil{variant}-f x")})),
            "{variant}"
        );
    }
    assert!(!fires(detection, &json!({"CommandLine": "certutil +urlcache -f x"})));
}

#[test]
fn cidr_matches_addresses_inside_the_network() {
    let detection = "    selection:\n        DestinationIp|cidr:\n            - '10.0.0.0/8'\n            - 'fd00::/8'\n    condition: selection";
    assert!(fires(detection, &json!({"DestinationIp": "10.200.3.4"})));
    assert!(fires(detection, &json!({"DestinationIp": "fd12:3456::1"})));
    assert!(!fires(detection, &json!({"DestinationIp": "11.0.0.1"})));
}

#[test]
fn fieldref_compares_one_field_with_another() {
    let detection = "    selection:\n        ParentImage|fieldref: Image\n    condition: selection";
    assert!(fires(detection, &json!({"Image": "C:\\a\\svc.exe", "ParentImage": "c:\\A\\SVC.EXE"})));
    assert!(!fires(
        detection,
        &json!({"Image": "C:\\a\\svc.exe", "ParentImage": "C:\\a\\cmd.exe"})
    ));
}

#[test]
fn null_matches_a_missing_or_null_field_only() {
    let detection = "    selection:\n        Image|endswith: '.exe'\n        OriginalFileName: null\n    condition: selection";
    assert!(fires(detection, &json!({"Image": "x.exe"})));
    assert!(fires(detection, &json!({"Image": "x.exe", "OriginalFileName": null})));
    assert!(!fires(detection, &json!({"Image": "x.exe", "OriginalFileName": "x.exe"})));
}

#[test]
fn numeric_comparisons_and_exists_test_values_and_presence() {
    let gt = "    selection:\n        DestinationPort|gte: 1024\n    condition: selection";
    assert!(fires(gt, &json!({"DestinationPort": 4444})));
    assert!(!fires(gt, &json!({"DestinationPort": 443})));
    let exists = "    selection:\n        ParentUser|exists: true\n    condition: selection";
    assert!(fires(exists, &json!({"ParentUser": "CORP\\alice"})));
    assert!(!fires(exists, &json!({"User": "CORP\\alice"})));
}

#[test]
fn cased_makes_a_match_case_sensitive() {
    let detection =
        "    selection:\n        CommandLine|cased|contains: 'MiniDump'\n    condition: selection";
    assert!(fires(detection, &json!({"CommandLine": "comsvcs MiniDump"})));
    assert!(!fires(detection, &json!({"CommandLine": "comsvcs minidump"})));
}

#[test]
fn keywords_search_every_string_of_the_event() {
    let detection =
        "    keywords:\n        - 'mimikatz'\n        - 'sekurlsa'\n    condition: keywords";
    assert!(fires(
        detection,
        &json!({"Message": "Invoke-Mimikatz -Command sekurlsa::logonpasswords"})
    ));
    assert!(!fires(detection, &json!({"Message": "Get-Process"})));
}
