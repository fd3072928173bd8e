//! The identity commands of `palisade admin`, against an external database and against the
//! embedded cluster of a running `palisade serve`.

use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Palisade, run, temp_data_dir};
use serde_json::{Value, json};
use testapp::test_db;

fn stdout(output: &std::process::Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn operators_create_tenants_and_users_set_roles_and_end_sessions_from_the_console() {
    let db = test_db().await;
    let url = db.url("palisade_app").await;
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("PALISADE_NEW_PASSWORD", "an-operator-chosen-passphrase"),
    ];
    assert!(
        stdout(&run(&["admin", "create-tenant", "--name", "Acme", "--slug", "acme"], &env))
            .contains("created tenant acme")
    );
    let created = stdout(&run(
        &[
            "admin",
            "create-user",
            "--email",
            "ops@acme.test",
            "--tenant",
            "acme",
            "--role",
            "SOC_ANALYST_L1",
        ],
        &env,
    ));
    assert!(created.contains("added ops@acme.test to tenant"), "{created}");
    assert!(!created.contains("an-operator-chosen-passphrase"), "a chosen password is not echoed");
    let role = stdout(&run(
        &[
            "admin",
            "set-role",
            "--email",
            "ops@acme.test",
            "--tenant",
            "acme",
            "--role",
            "TENANT_ADMIN",
        ],
        &env,
    ));
    assert!(role.contains("is now TENANT_ADMIN"));
    let generated = stdout(&run(
        &["admin", "reset-password", "--email", "ops@acme.test"],
        &[("DATABASE_URL", url.as_str())],
    ));
    assert!(generated.contains("password (shown once): "), "{generated}");
    stdout(&run(&["admin", "revoke-sessions", "--email", "ops@acme.test"], &env));

    let superuser = db.superuser().await;
    let membership: String = sqlx::query_scalar(
        "select m.role from memberships m join users u on u.id = m.user_id where u.email = 'ops@acme.test'",
    )
    .fetch_one(&superuser)
    .await
    .unwrap();
    assert_eq!(membership, "TENANT_ADMIN");
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where actor_type = 'system' order by occurred_at",
    )
    .fetch_all(&superuser)
    .await
    .unwrap();
    for action in
        ["tenant.create", "user.add", "user.update", "user.reset_password", "user.revoke_sessions"]
    {
        assert!(actions.iter().any(|a| a == action), "{action} missing from {actions:?}");
    }
    let unknown = run(
        &[
            "admin",
            "set-role",
            "--email",
            "nobody@acme.test",
            "--tenant",
            "acme",
            "--role",
            "TENANT_ADMIN",
        ],
        &env,
    );
    assert!(!unknown.status.success());
}

#[tokio::test]
async fn admin_commands_work_while_serve_runs_on_the_same_data_dir() {
    let data_dir = temp_data_dir();
    let mut palisade = Palisade::start(&data_dir);
    palisade.wait_ready().await;
    let data = data_dir.to_str().unwrap();
    let created = run(
        &["admin", "create-tenant", "--name", "Globex", "--slug", "globex"],
        &[("PALISADE_DATA_DIR", data)],
    );
    assert!(stdout(&created).contains("created tenant globex"));

    let client = palisade.client();
    let tokens: Value = client
        .post(palisade.url("/v1/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tenants: Value = client
        .get(palisade.url("/v1/tenants"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> =
        tenants["items"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert!(slugs.contains(&"globex"), "{slugs:?}");
    assert!(
        stdout(&run(&["admin", "audit-verify"], &[("PALISADE_DATA_DIR", data)]))
            .contains("audit-verify: ok")
    );
}
