//! `satudata user …` as an administrator uses it, and the token it prints working against the API.

mod common;

use common::{demo, run, satudata, Server};

#[tokio::test(flavor = "multi_thread")]
async fn administrator_manages_accounts_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    drop(demo(dir.path(), None)); // seed the organisations, then stop

    // add, with a password from stdin and a role
    let (code, out, err) = run(
        &[
            "user",
            "add",
            "operator.dinsos",
            "--name",
            "Operator Dinsos",
            "--role",
            "produsen",
            "--org",
            "dinsos",
            "--password-stdin",
        ],
        dir.path(),
        "kata-sandi-operator\n",
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("operator.dinsos"));

    // duplicates, unknown organisations and weak passwords are refused clearly
    let (code, _, err) = run(
        &["user", "add", "operator.dinsos", "--password-stdin"],
        dir.path(),
        "kata-sandi-operator\n",
    );
    assert_ne!(code, 0);
    assert!(err.contains("sudah dipakai"), "{err}");
    let (code, _, err) = run(
        &[
            "user",
            "add",
            "baru",
            "--role",
            "produsen",
            "--org",
            "tidak-ada",
        ],
        dir.path(),
        "",
    );
    assert_ne!(code, 0);
    assert!(err.contains("tidak-ada"), "{err}");
    let (code, _, err) = run(
        &["user", "add", "baru2", "--password-stdin"],
        dir.path(),
        "pendek\n",
    );
    assert_ne!(code, 0);
    assert!(err.contains("minimal"), "{err}");

    // a generated password is printed once
    let (code, out, _) = run(&["user", "add", "tamu"], dir.path(), "");
    assert_eq!(code, 0);
    assert!(out.contains("Kata sandi sementara"), "{out}");

    // list shows roles
    let (code, out, _) = run(&["user", "list"], dir.path(), "");
    assert_eq!(code, 0);
    let line = out
        .lines()
        .find(|l| l.starts_with("operator.dinsos"))
        .expect("listed");
    assert!(line.contains("produsen@dinsos"), "{line}");

    // set-role and remove
    let (code, _, _) = run(
        &[
            "user",
            "set-role",
            "operator.dinsos",
            "--org",
            "dinkes",
            "--role",
            "produsen",
        ],
        dir.path(),
        "",
    );
    assert_eq!(code, 0);
    let (code, _, _) = run(
        &[
            "user",
            "set-role",
            "operator.dinsos",
            "--org",
            "dinsos",
            "--remove",
        ],
        dir.path(),
        "",
    );
    assert_eq!(code, 0);
    let (_, out, _) = run(&["user", "list"], dir.path(), "");
    let line = out
        .lines()
        .find(|l| l.starts_with("operator.dinsos"))
        .unwrap();
    assert!(
        line.contains("produsen@dinkes") && !line.contains("@dinsos"),
        "{line}"
    );

    // reset-password
    let (code, _, _) = run(
        &[
            "user",
            "reset-password",
            "operator.dinsos",
            "--password-stdin",
        ],
        dir.path(),
        "kata-sandi-baru-2026\n",
    );
    assert_eq!(code, 0);

    // token create prints the secret once; it works against the API until revoked
    let (code, out, err) = run(
        &[
            "user",
            "token",
            "create",
            "operator.dinsos",
            "--name",
            "skrip-uji",
            "--expires-days",
            "30",
        ],
        dir.path(),
        "",
    );
    assert_eq!(code, 0, "{err}");
    let secret = out
        .lines()
        .find(|l| l.starts_with("sdt_"))
        .expect("secret printed")
        .to_string();
    let id = out
        .split("(id ")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .expect("token id")
        .to_string();

    let mut cmd = satudata();
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("SATUDATA_HOME_REGION", "16.06");
    let server = Server::start(cmd);
    let client = reqwest::Client::new();
    let me = client
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["user"]["username"], "operator.dinsos");
    assert!(
        !me.to_string().contains("argon2"),
        "no password hash in output"
    );

    let (_, out, _) = run(
        &["user", "token", "list", "operator.dinsos"],
        dir.path(),
        "",
    );
    assert!(out.contains("skrip-uji") && out.contains("aktif"), "{out}");
    assert!(!out.contains(&secret), "the secret is never shown again");

    let (code, _, err) = run(
        &["user", "token", "revoke", "operator.dinsos", &id],
        dir.path(),
        "",
    );
    assert_eq!(code, 0, "{err}");
    let me = client
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
}

#[test]
fn serve_without_home_region_says_how_to_set_it() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["serve", "--listen", "127.0.0.1:0"], dir.path(), "");
    assert_eq!(code, 1);
    assert!(err.contains("SATUDATA_HOME_REGION"), "{err}");
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["demo", "--help"],
        &["user", "--help"],
        &["user", "add", "--help"],
        &["user", "token", "create", "--help"],
    ] {
        let out = satudata().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}
