use serde_json::{json, Value};

use super::*;
use crate::core::credential::dates::parse_datetime;
use crate::core::credential::jwt_vc::JwtVc;
use crate::core::credential::test_support::{read_shared, read_shared_json, DOME_CREDENTIAL};

fn vc(json: &Value) -> Vc {
    Vc::from_json(json.as_object().unwrap()).unwrap()
}

fn lear(json: &Value) -> Mandate {
    match read(&vc(json)) {
        CredentialData::Lear(m) => *m,
        other => panic!("not read as a LEAR credential: {other:?}"),
    }
}

fn person(m: &Mandate) -> &PersonMandatee {
    match &m.mandatee {
        Mandatee::Person(p) => p,
        other => panic!("expected a person, got {other:?}"),
    }
}

fn machine(m: &Mandate) -> &MachineMandatee {
    match &m.mandatee {
        Mandatee::Machine(p) => p,
        other => panic!("expected a machine, got {other:?}"),
    }
}

fn powers(m: &Mandate) -> Vec<String> {
    m.powers.iter().map(Power::to_string).collect()
}

#[test]
fn the_real_dome_credential_is_v1_under_an_older_context() {
    let Some(jwt) = read_shared(DOME_CREDENTIAL) else { return };
    let CredentialData::Lear(m) = read(JwtVc::parse(&jwt).unwrap().vc()) else { panic!() };
    assert_eq!((m.kind, m.version, m.evidence), (LearKind::Employee, LearVersion::V1, VersionEvidence::Context));
    assert_eq!(m.id.as_deref(), Some("7bf55d2e-5247-4714-91d1-8e2f8cb730d1"));
    assert_eq!(
        person(&m),
        &PersonMandatee {
            id: Some("did:key:zDnaepbQkLnywX4GHsnpTuGQkBHtJ4UnGM97ts7XuM273L1ih".into()),
            first_name: Some("Ruben".into()),
            last_name: Some("Modamio".into()),
            email: Some("ruben.modamio@in2.es".into()),
            mobile_phone: Some("+34 699999999".into()),
            ..PersonMandatee::default()
        }
    );
    let in2 = Mandator {
        id: None,
        common_name: Some("IN2".into()),
        organization: Some("IN2, Ingeniería de la Información, S.L.".into()),
        organization_identifier: Some("VATES-B60645900".into()),
        country: Some("ES".into()),
        email: Some("rrhh@in2.es".into()),
        serial_number: Some("B60645900".into()),
    };
    assert_eq!(m.mandator, in2);
    assert_eq!(m.signer.as_ref(), Some(&in2));
    // No tmf_domain here: the power has no domain.
    assert_eq!(powers(&m), ["Onboarding: Execute", "DomePlatform: Operator, Marketplace"]);
    assert_eq!(m.powers[0].kind.as_deref(), Some("Domain"));
    assert_eq!(m.powers[0].id.as_deref(), Some("f0d133fe-2b2e-4fea-9d58-86b2c4faaa99"));
    assert_eq!(m.life_span, Some(LifeSpan { start: Some(1_717_055_258), end: Some(1_719_647_258) }));
}

#[test]
fn v1_template_without_context_is_read_from_its_shape() {
    let Some(template) = read_shared_json("dome/wallet-side/14-lear-credential-employee-v1-template.json") else {
        return;
    };
    let m = lear(&template);
    assert_eq!((m.version, m.evidence), (LearVersion::V1, VersionEvidence::Shape));
    assert_eq!(person(&m).last_name.as_deref(), Some("Canadés"));
    assert_eq!(person(&m).mobile_phone.as_deref(), Some("+34666336699"));
    assert_eq!(
        powers(&m),
        [
            "DomePlatform: Operator, Customer, Provider (DOME)",
            "Onboarding: Execute (DOME)",
            "ProductOffering: Create, Update (DOME)"
        ]
    );
    // Go's time format in life_span.
    assert_eq!(m.life_span.and_then(|s| s.end), Some(parse_datetime("2025-04-02T09:23:22Z").unwrap()));
    assert!(m.signer.is_none());
}

#[test]
fn v2_profile_payload() {
    let Some(payload) = read_shared_json("dome/profile/learcredentialemployee-v2-jwt-payload.json") else { return };
    let m = lear(&payload["vc"]);
    assert_eq!((m.kind, m.version, m.evidence), (LearKind::Employee, LearVersion::V2, VersionEvidence::Context));
    let p = person(&m);
    assert_eq!((p.id.as_deref(), p.nationality.as_deref()), (Some("did:key:zDnaeHolder..."), Some("...")));
    assert_eq!(m.mandator.organization_identifier.as_deref(), Some("VATES-B12345678"));
    assert_eq!(powers(&m), ["Onboarding: Execute (DOME)", "ProductOffering: Create, Update, Delete (DOME)"]);
    assert_eq!(m.signer.as_ref().and_then(|s| s.organization_identifier.as_deref()), Some("VATES-..."));
    assert_eq!(m.life_span, None);
}

#[test]
fn v3_profile_payload_takes_the_holder_from_the_subject() {
    let Some(mut payload) = read_shared_json("dome/profile/learcredentialemployee-v3-jwt-payload.json") else { return };
    payload["vc"]["credentialStatus"]["statusListIndex"] = json!("7"); // the fixture has a placeholder
    let m = lear(&payload["vc"]);
    assert_eq!((m.version, m.evidence), (LearVersion::V3, VersionEvidence::Context));
    let p = person(&m);
    assert_eq!(p.id.as_deref(), Some("did:key:zDnaeHolder..."));
    assert_eq!(p.employee_id.as_deref(), Some("..."));
    assert_eq!(m.mandator.id.as_deref(), Some("did:elsi:VATES-B12345678"));
    assert_eq!(m.mandator.email.as_deref(), Some("..."));
    assert_eq!(powers(&m), ["Onboarding: Execute (DOME)"]);
    assert_eq!(m.powers[0].kind.as_deref(), Some("domain"));
    assert!(m.signer.is_none());
}

#[test]
fn sbx_v3_credential_seen_by_the_verifier() {
    let Some(payload) = read_shared_json("dome/captured/sbx-verifier-access-token-payload-v3.json") else { return };
    let m = lear(&payload["vc"]);
    assert_eq!((m.version, m.evidence), (LearVersion::V3, VersionEvidence::Context));
    assert_eq!(
        person(&m),
        &PersonMandatee {
            id: Some("did:key:zDnaejCht7VjsEWSkCLjzGwdwJLhukNCLAaXJ5kfsu8fihRSh".into()),
            first_name: Some("Roger".into()),
            last_name: Some("Miret".into()),
            email: Some("roger.miret@in2.es".into()),
            employee_id: Some("A-12345678".into()),
            ..PersonMandatee::default()
        }
    );
    assert_eq!(
        m.mandator,
        Mandator {
            id: Some("did:elsi:VATES-B60645900".into()),
            common_name: Some("Mandator lastname".into()),
            organization: Some("IN2 INGENIERIA DE LA INFORMACION SOCIEDAD LIMITADA".into()),
            organization_identifier: Some("VATES-B60645900".into()),
            country: Some("Spain".into()),
            email: Some("roger.miret@in2.es".into()),
            serial_number: Some(String::new()),
        }
    );
    assert_eq!(powers(&m), ["Onboarding: Execute (DOME)", "ProductOffering: Create, Update, Delete (DOME)"]);
}

#[test]
fn without_a_telling_context_the_version_comes_from_the_fields() {
    let Some(mut v2) = read_shared_json("dome/profile/learcredentialemployee-v2-jwt-payload.json") else { return };
    v2["vc"]["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
    assert_eq!((lear(&v2["vc"]).version, lear(&v2["vc"]).evidence), (LearVersion::V2, VersionEvidence::Shape));
    let Some(mut v3) = read_shared_json("dome/captured/sbx-verifier-access-token-payload-v3.json") else { return };
    v3["vc"]["@context"] = json!(["https://www.w3.org/ns/credentials/v2", "https://example.org/unrelated/v1"]);
    assert_eq!((lear(&v3["vc"]).version, lear(&v3["vc"]).evidence), (LearVersion::V3, VersionEvidence::Shape));
}

#[test]
fn older_and_variant_contexts() {
    let with_context = |ctx: &str| {
        json!({"@context": ["https://www.w3.org/2018/credentials/v1", ctx], "type": ["VerifiableCredential", "LEARCredentialEmployee"],
               "credentialSubject": {"mandate": {"mandatee": {"firstName": "A"}, "mandator": {}, "power": []}}})
    };
    for (ctx, version) in [
        ("https://www.evidenceledger.eu/2022/credentials/employee/v1", LearVersion::V1),
        ("https://dome-marketplace.eu/2022/credentials/learcredential/v1", LearVersion::V1),
        ("https://dome-marketplace.eu/2022/credentials/learcredentialemployee/v1", LearVersion::V1),
        ("https://trust-framework.dome-marketplace.eu/credentials/learcredentialemployee/v1", LearVersion::V1),
        ("https://www.dome-marketplace.eu/2025/credentials/learcredentialemployee/v2/", LearVersion::V2),
        ("https://credentials.eudistack.eu/.well-known/credentials/lear_credential_employee/w3c/v3", LearVersion::V3),
    ] {
        let m = lear(&with_context(ctx));
        assert_eq!((m.version, m.evidence), (version, VersionEvidence::Context), "{ctx}");
    }
}

#[test]
fn machine_credentials_v1_and_v2() {
    let v1 = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://trust-framework.dome-marketplace.eu/credentials/learcredentialmachine/v1"],
        "type": ["VerifiableCredential", "LEARCredentialMachine"],
        "issuer": {"id": "did:elsi:VATES-B60645900"},
        "credentialSubject": {"mandate": {
            "id": "m-1",
            "life_span": {"start_date_time": "2025-01-01T00:00:00Z", "end_date_time": "2026-01-01T00:00:00Z"},
            "mandatee": {"id": "did:key:zDnaeMachine", "serviceName": "Billing", "serviceType": "API", "version": "1.2",
                         "domain": "https://billing.example", "ipAddress": "192.0.2.10", "description": "Pays invoices",
                         "contact": {"email": "ops@example.org", "phone": "+34 600000000"}},
            "mandator": {"commonName": "Jane Roe", "emailAddress": "jane@example.org", "organizationIdentifier": "VATES-B60645900"},
            "power": [{"tmf_type": "Domain", "tmf_domain": "DOME", "tmf_function": "Billing", "tmf_action": ["Read", "Pay"]}],
            "signer": {"commonName": "Jane Roe", "organizationIdentifier": "VATES-B60645900"}
        }}
    });
    let m = lear(&v1);
    assert_eq!((m.kind, m.version, m.evidence), (LearKind::Machine, LearVersion::V1, VersionEvidence::Context));
    assert_eq!(
        machine(&m),
        &MachineMandatee {
            id: Some("did:key:zDnaeMachine".into()),
            service_name: Some("Billing".into()),
            service_type: Some("API".into()),
            version: Some("1.2".into()),
            domain: Some("https://billing.example".into()),
            ip_address: Some("192.0.2.10".into()),
            description: Some("Pays invoices".into()),
            contact: Some(Contact { email: Some("ops@example.org".into()), phone: Some("+34 600000000".into()) }),
        }
    );
    assert_eq!(powers(&m), ["Billing: Read, Pay (DOME)"]);
    assert_eq!(m.life_span, Some(LifeSpan { start: Some(1_735_689_600), end: Some(1_767_225_600) }));

    let v2 = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://credentials.eudistack.eu/.well-known/credentials/lear_credential_machine/w3c/v2"],
        "type": ["LEARCredentialMachine", "VerifiableCredential"],
        "credentialSubject": {"mandate": {
            "mandatee": {"id": "did:key:zDnaeMachine", "domain": "https://billing.example", "ipAddress": "192.0.2.10"},
            "mandator": {"id": "did:elsi:VATES-B60645900", "email": "jane@example.org", "organizationIdentifier": "VATES-B60645900"},
            "power": [{"type": "domain", "domain": "DOME", "function": "Onboarding", "action": "Execute"}]
        }}
    });
    let m = lear(&v2);
    assert_eq!((m.kind, m.version), (LearKind::Machine, LearVersion::V2));
    assert_eq!(machine(&m).ip_address.as_deref(), Some("192.0.2.10"));
    assert_eq!(m.mandator.email.as_deref(), Some("jane@example.org"));
    // Without a context: v1 unless the mandator has v2's fields (DOME's verifier defaults to v1).
    let mut bare = v2.clone();
    bare.as_object_mut().unwrap().remove("@context");
    assert_eq!((lear(&bare).version, lear(&bare).evidence), (LearVersion::V2, VersionEvidence::Shape));
    bare["credentialSubject"]["mandate"]["mandator"] = json!({"organizationIdentifier": "VATES-B60645900"});
    assert_eq!(lear(&bare).version, LearVersion::V1);
    // A mandatee that only looks like a machine, in a credential that does not say which.
    bare["type"] = json!(["VerifiableCredential", "LEARCredential"]);
    assert_eq!(lear(&bare).kind, LearKind::Machine);
}

/// Every property the DOME schemas (and the trust framework's) define for the mandate, its
/// mandator, mandatee, powers and signer must reach the typed `Mandate`.
#[test]
fn every_schema_property_is_read() {
    let files = [
        "dome/schemas/LEARCredentialEmployee.jwt_vc_json.v1.json",
        "dome/schemas/LEARCredentialEmployee.jwt_vc_json.v2.json",
        "dome/schemas/LEARCredentialEmployee.jwt_vc_json.v3.json",
        "dome/schemas/LEARCredentialMachine.jwt_vc_json.v1.json",
        "dome/schemas/LEARCredentialMachine.jwt_vc_json.v2.json",
        "dome/trust-framework/learCredentialEmployeeSchema.json",
        "dome/trust-framework/learCredentialMachineSchema.json",
    ];
    let mut checked = 0;
    for file in files {
        let Some(schema) = read_shared_json(file) else { return };
        let kind = if file.to_ascii_lowercase().contains("machine") {
            "LEARCredentialMachine"
        } else {
            "LEARCredentialEmployee"
        };
        let mandate_schema = &schema["properties"]["credentialSubject"]["properties"]["mandate"];
        let mut leaves = Vec::new();
        schema_leaves(mandate_schema, &mut Vec::new(), &mut leaves);
        assert!(leaves.len() >= 10, "{file}: only {} properties found", leaves.len());
        for path in leaves {
            let mut mandate = json!({"mandatee": {}, "mandator": {}, "power": [{}]});
            let is_date = path.last().is_some_and(|p| p.contains("date") || p.contains("Date"));
            let value =
                if is_date { "2030-01-02T03:04:05Z".to_owned() } else { format!("value-of-{}", path.join(".")) };
            set_path(&mut mandate, &path, json!(value));
            let credential = json!({"type": ["VerifiableCredential", kind], "credentialSubject": {"mandate": mandate}});
            let read = format!("{:?}", lear(&credential));
            let expected = if is_date { parse_datetime(&value).unwrap().to_string() } else { value };
            assert!(
                read.contains(&expected),
                "{file}: {} was not read (looked for {expected:?} in {read})",
                path.join(".")
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// Paths of the string-valued (or untyped, like `action`) properties under a schema node;
/// `power[]` items appear as the path segment `[]`.
fn schema_leaves(node: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Some(items) = node.get("items") {
        path.push("[]".into());
        schema_leaves(items, path, out);
        path.pop();
        return;
    }
    match node.get("properties").and_then(Value::as_object) {
        Some(props) => {
            for (name, child) in props {
                path.push(name.clone());
                schema_leaves(child, path, out);
                path.pop();
            }
        }
        None if !path.is_empty() => out.push(path.clone()),
        None => {}
    }
}

fn set_path(root: &mut Value, path: &[String], value: Value) {
    let mut node = root;
    for (i, segment) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        node = if segment == "[]" {
            &mut node[0]
        } else {
            if node.get(segment).is_none() {
                node[segment.as_str()] = if last {
                    Value::Null
                } else if path.get(i + 1).is_some_and(|s| s == "[]") {
                    json!([{}])
                } else {
                    json!({})
                };
            }
            &mut node[segment.as_str()]
        };
    }
    *node = value;
}

#[test]
fn odd_lear_shapes_do_not_fail() {
    // v1.6's deferred response carried an empty mandate; a power may be one object; action may
    // be missing or of another type.
    let empty =
        json!({"type": ["VerifiableCredential", "LEARCredentialEmployee"], "credentialSubject": {"mandate": {}}});
    let m = lear(&empty);
    assert_eq!((m.kind, m.version, m.powers.len()), (LearKind::Employee, LearVersion::V2, 0));
    assert_eq!(m.mandator, Mandator::default());
    let odd = json!({"type": "LEARCredentialEmployee", "credentialSubject": {"id": "did:key:zHolder", "mandate": {
        "mandatee": {"firstName": 7, "employeeId": 1234},
        "mandator": "IN2",
        "power": {"function": "Onboarding", "action": {"not": "a list"}}
    }}});
    let m = lear(&odd);
    assert_eq!(person(&m).id.as_deref(), Some("did:key:zHolder"));
    assert_eq!(person(&m).employee_id.as_deref(), Some("1234"));
    assert_eq!(person(&m).first_name.as_deref(), Some("7"));
    assert_eq!(powers(&m), ["Onboarding"]);
}

#[test]
fn other_credentials_get_a_generic_view() {
    let certification = json!({
        "type": ["VerifiableCredential", "VerifiableCertification"],
        "credentialSubject": {"company": {"name": "ACME", "id": "did:elsi:VATES-A1"}, "compliance": [{"standard": "ISO 27001", "level": 2}], "note": null}
    });
    let CredentialData::Other(g) = read(&vc(&certification)) else { panic!() };
    assert_eq!(g.types, ["VerifiableCredential", "VerifiableCertification"]);
    assert_eq!(
        g.claims,
        [
            ("company.id".to_owned(), "did:elsi:VATES-A1".to_owned()),
            ("company.name".into(), "ACME".into()),
            ("compliance[0].level".into(), "2".into()),
            ("compliance[0].standard".into(), "ISO 27001".into()),
        ]
    );
    assert!(!g.truncated);

    let many: Vec<Value> = (0..500).map(|i| json!(i)).collect();
    let mut deep = json!("bottom");
    for _ in 0..40 {
        deep = json!({ "d": deep });
    }
    let big = json!({"type": "VerifiableCredential", "credentialSubject": {"many": many, "deep": deep}});
    let CredentialData::Other(g) = read(&vc(&big)) else { panic!() };
    assert!(g.truncated && g.claims.len() <= MAX_GENERIC_CLAIMS);
}
