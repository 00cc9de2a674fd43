use super::*;

/// RFC 4231's test cases 1 and 2: our HMAC-SHA-256 is the standard one.
#[test]
fn hmac_matches_rfc_4231() {
    assert_eq!(
        hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    );
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    // What docs/CONTEXT.md's command gives (`printf %s hunter2 | openssl dgst
    // -sha256 -mac HMAC -macopt hexkey:abab…ab`; Python's hmac agrees).
    assert_eq!(
        HashKey([0xab; 32]).hash(b"hunter2"),
        "hmac-sha256:323caa2115a692de63415461f5579dc03e2502c3d9d008ade8499e18b8573299"
    );
}

#[test]
fn the_key_is_drawn_once_private_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config/provenance/secret-hash.key");
    let key = load_or_create(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.len(), 65, "64 hex digits and a newline: {text:?}");
    assert_eq!(load_or_create(&path).unwrap(), key, "the same key again");
    let hash = key.hash(b"hunter2");
    assert!(
        hash.starts_with("hmac-sha256:") && hash.len() == 12 + 64,
        "{hash}"
    );
    assert_eq!(
        hash,
        format!("hmac-sha256:{}", hex(&hmac_sha256(&key.0, b"hunter2")))
    );
    assert_ne!(
        hash,
        HashKey([0; 32]).hash(b"hunter2"),
        "another key, another hash"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
    let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
}

#[test]
fn racing_processes_agree_on_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret-hash.key");
    let keys: Vec<HashKey> = std::thread::scope(|s| {
        let racers: Vec<_> = (0..8)
            .map(|_| s.spawn(|| load_or_create(&path).unwrap()))
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert!(keys.iter().all(|k| *k == keys[0]));
}

#[test]
fn a_bad_or_exposed_or_unwritable_key_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret-hash.key");
    write_private(&path, b"not a key\n").unwrap();
    let err = load_or_create(&path).unwrap_err();
    assert!(matches!(err, KeyError::Malformed { .. }), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(&path, format!("{}\n", "ab".repeat(32))).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = load_or_create(&path).unwrap_err();
        assert!(
            matches!(err, KeyError::Exposed { mode: 0o644, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }

    // A folder that is a file cannot be created, even by root.
    let blocked = dir.path().join("secret-hash.key/inner.key");
    let err = load_or_create(&blocked).unwrap_err();
    assert!(matches!(err, KeyError::Io { .. }), "{err}");
    assert!(
        err.to_string().contains(&blocked.display().to_string()),
        "{err}"
    );
    assert!(
        err.to_string().contains("PROVENANCE_HASH_KEY_FILE"),
        "{err}"
    );
}
