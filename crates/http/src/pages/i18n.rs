//! The page language: Bahasa Indonesia by default, English on request.
//!
//! A visitor switches with the link in the header (`?lang=en` on the current address); the answer
//! then remembers the choice in the cookie [`LANG_COOKIE`] (a preference in the browser, not a state
//! change on the server), so every later page comes in that language. `?lang=` on any address wins
//! over the cookie, so a link can be shared in a given language.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::cookie;

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "satudata_lang";

/// A language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 code (`id`, `en`), for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Parse `id` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language (what the switch in the header offers).
    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }

    /// The text in this language: `id` in Bahasa Indonesia, `en` in English.
    pub fn t<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    /// The language asked for in a query string (`lang=…`), if any.
    pub fn from_query(query: Option<&str>) -> Option<Lang> {
        query?.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == "lang").then(|| Lang::parse(v)).flatten()
        })
    }

    /// The language of a request: `?lang=` first, then the cookie, else Bahasa Indonesia.
    pub fn of(parts: &Parts) -> Lang {
        Lang::from_query(parts.uri.query())
            .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(|c| Lang::parse(&c)))
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::of(parts))
    }
}

/// Middleware: when a page was asked for with `?lang=`, remember the choice in a cookie.
pub async fn remember(request: Request, next: Next) -> Response {
    let chosen = Lang::from_query(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let is_html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if is_html {
            let value = format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            );
            if let Ok(v) = HeaderValue::from_str(&value) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    response
}

/// Format a whole number the Indonesian way (`1.234.567`) or the English way (`1,234,567`).
pub fn int(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Format a number with at most `decimals` decimals, grouped per language (`1.234,5` / `1,234.5`).
pub fn number(lang: Lang, x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f.trim_end_matches('0')),
        None => (text.as_str(), ""),
    };
    let whole: i64 = whole.parse().unwrap_or(0);
    let mut out = if x < 0.0 && (whole != 0 || !frac.is_empty()) {
        "-".to_string()
    } else {
        String::new()
    };
    out.push_str(&int(lang, whole));
    if !frac.is_empty() {
        out.push(match lang {
            Lang::Id => ',',
            Lang::En => '.',
        });
        out.push_str(frac);
    }
    out
}

/// The name of a month, 1-based.
pub fn month(lang: Lang, m: u32) -> &'static str {
    const ID: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = (m.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Id => ID[i],
        Lang::En => EN[i],
    }
}

/// A date as people write it: `22 November 2026`.
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), month(lang, d.month()), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(int(Lang::Id, 1_234_567), "1.234.567");
        assert_eq!(int(Lang::En, -1_234_567), "-1,234,567");
        assert_eq!(int(Lang::Id, 999), "999");
        assert_eq!(number(Lang::Id, 1234.5, 2), "1.234,5");
        assert_eq!(number(Lang::En, 1234.0, 2), "1,234");
        assert_eq!(number(Lang::Id, -0.26, 1), "-0,3");
        assert_eq!(number(Lang::Id, f64::NAN, 1), "–");
    }

    #[test]
    fn query_wins_over_nothing() {
        assert_eq!(Lang::from_query(Some("q=x&lang=en")), Some(Lang::En));
        assert_eq!(Lang::from_query(Some("lang=fr")), None);
        assert_eq!(Lang::from_query(None), None);
    }
}
