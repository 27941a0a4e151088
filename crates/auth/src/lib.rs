//! Credentials: argon2id password hashes, random secrets for sessions and API tokens, and the
//! SHA-256 digests under which those secrets are stored (a stolen database yields no usable secret).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of API token secrets, so that a leaked token is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "sdt_";

/// Minimum password length users must choose.
pub const MIN_PASSWORD_LEN: usize = 10;

fn argon2() -> Argon2<'static> {
    // OWASP's recommended argon2id settings: 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hash a password with argon2id and a random salt; returns the PHC string to store.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2id hashing with valid parameters cannot fail")
        .to_string()
}

/// Check a password against a stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Check a new password against the policy; the message is for the user (Bahasa Indonesia).
pub fn check_password_policy(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(format!("Kata sandi minimal {MIN_PASSWORD_LEN} karakter."));
    }
    if password.trim() != password {
        return Err("Kata sandi tidak boleh diawali atau diakhiri spasi.".into());
    }
    Ok(())
}

/// A fresh random secret: 32 bytes, URL-safe base64 without padding.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh API token secret (`sdt_…`).
pub fn new_token_secret() -> String {
    format!("{TOKEN_PREFIX}{}", new_secret())
}

/// The SHA-256 of a secret, hex: what the store keeps for tokens and sessions.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compare two strings in time independent of where they differ (for CSRF tokens).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip_with_argon2id() {
        let h = hash_password("rahasia-sekali");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("rahasia-sekali", &h));
        assert!(!verify_password("rahasia-sekal1", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = new_token_secret();
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_ne!(a, new_token_secret());
        assert_eq!(secret_hash(&a).len(), 64);
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_password_policy("pendek").is_err());
        assert!(check_password_policy("cukup-panjang-kok").is_ok());
    }
}
