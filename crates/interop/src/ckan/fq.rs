//! The `fq` (and field-query `q`) syntax of CKAN's `package_search`: the subset of Solr's standard
//! query parser that harvesters and portals send, parsed into a boolean [`Fq`] tree.
//!
//! Supported: `field:value`, `field:"quoted value"`, `field:(a OR b)`, ranges
//! `metadata_modified:[2024-01-01T00:00:00Z TO *]` (`[` `]` inclusive, `{` `}` exclusive, `NOW`,
//! `NOW-7DAYS`), `*:*`, `+` / `-` / `!` / `NOT` prefixes, `AND` / `OR` / `&&` / `||`, parentheses,
//! backslash escapes. Clauses combine as in Lucene with CKAN's default operator AND: a clause is
//! required unless joined by `OR` (then optional) or prefixed with `-` (prohibited); optional
//! clauses only count when no clause is required, and a query of prohibited clauses alone matches
//! everything else (as Solr does). So the harvester's `organization:a OR organization:b
//! -groups:c` means "(a or b) and not c".

use std::ops::Bound;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// A field that can be searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FqField {
    /// `organization`: the organisation's slug.
    Organization,
    /// `owner_org`: the organisation's id.
    OwnerOrg,
    /// `groups`: a topic slug.
    Groups,
    /// `tags`.
    Tags,
    /// `res_format`: a resource format (`CSV`, `XLSX`, `JSON`, `PDF`, …).
    ResFormat,
    /// `license_id` (CKAN or SPDX id).
    LicenseId,
    /// `name`: the slug.
    Name,
    /// `id`.
    Id,
    /// `metadata_modified`.
    MetadataModified,
    /// `metadata_created`.
    MetadataCreated,
    /// `type` / `dataset_type` (always `dataset`).
    Type,
    /// `state` (always `active` for what is listed).
    State,
    /// `private` (`true` for *tertutup*).
    Private,
    /// `capacity` (`public` / `private`).
    Capacity,
    /// Free text (a term without a field, `text:`, `title:`, `notes:`).
    Text,
    /// SDI `accessRights` (`terbuka`, `terbatas`, `tertutup`).
    AccessRights,
    /// One of the SDI fields kept in the metadata: `jenis`, `satuan`, `ukuran`,
    /// `accrualPeriodicity`, `prioritas_tahun`, `id_dds`, `id_sds`, `author`, `maintainer`.
    Meta(MetaKey),
}

/// SDI fields matched by equality on the stored metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaKey {
    Jenis,
    Satuan,
    Ukuran,
    Periodicity,
    PrioritasTahun,
    IdDds,
    IdSds,
    Author,
    Maintainer,
}

impl MetaKey {
    /// The key of the field in the stored [`satudata_core::dataset::DatasetMeta`] JSON.
    pub fn meta_key(self) -> &'static str {
        match self {
            MetaKey::Jenis => "jenis",
            MetaKey::Satuan => "satuan",
            MetaKey::Ukuran => "ukuran",
            MetaKey::Periodicity => "periodicity",
            MetaKey::PrioritasTahun => "prioritas_tahun",
            MetaKey::IdDds => "id_dds",
            MetaKey::IdSds => "id_sds",
            MetaKey::Author => "author",
            MetaKey::Maintainer => "maintainer",
        }
    }
}

impl FqField {
    /// The field of a CKAN/Solr field name.
    pub fn from_name(name: &str) -> Option<FqField> {
        use FqField::*;
        Some(match name {
            "organization" => Organization,
            "owner_org" => OwnerOrg,
            "groups" | "theme" => Groups,
            "tags" => Tags,
            "res_format" => ResFormat,
            "license_id" => LicenseId,
            "name" => Name,
            "id" => Id,
            "metadata_modified" => MetadataModified,
            "metadata_created" => MetadataCreated,
            "type" | "dataset_type" | "entity_type" => Type,
            "state" => State,
            "private" => Private,
            "capacity" => Capacity,
            "text" | "title" | "notes" => Text,
            "accessRights" => AccessRights,
            "jenis" => Meta(MetaKey::Jenis),
            "satuan" => Meta(MetaKey::Satuan),
            "ukuran" => Meta(MetaKey::Ukuran),
            "accrualPeriodicity" => Meta(MetaKey::Periodicity),
            "prioritas_tahun" => Meta(MetaKey::PrioritasTahun),
            "id_dds" => Meta(MetaKey::IdDds),
            "id_sds" => Meta(MetaKey::IdSds),
            "author" => Meta(MetaKey::Author),
            "maintainer" => Meta(MetaKey::Maintainer),
            _ => return None,
        })
    }

    fn is_date(self) -> bool {
        matches!(self, FqField::MetadataModified | FqField::MetadataCreated)
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Fq {
    /// Everything (`*:*`, an empty query).
    All,
    /// A field has this value (`*` = any value).
    Term {
        field: FqField,
        value: String,
    },
    /// A date field lies in a range.
    Range {
        field: FqField,
        from: Bound<DateTime<Utc>>,
        to: Bound<DateTime<Utc>>,
    },
    And(Vec<Fq>),
    Or(Vec<Fq>),
    Not(Box<Fq>),
}

/// A query CKAN would refuse: answered as `"__type": "Search Query Error"` (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FqError {
    /// What is wrong, for the client.
    pub message: String,
}

impl std::fmt::Display for FqError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FqError {}

fn err<T>(message: impl Into<String>) -> Result<T, FqError> {
    Err(FqError {
        message: message.into(),
    })
}

/// Parse an `fq` (or a `q` that uses fields). `now` resolves `NOW` in ranges.
pub fn parse(input: &str, now: DateTime<Utc>) -> Result<Fq, FqError> {
    let mut p = Parser {
        s: input.chars().collect(),
        i: 0,
        now,
    };
    let q = p.query(false, None)?;
    Ok(q)
}

/// Parse CKAN's `q`: a field query (it contains `:`) is parsed strictly like `fq`; plain words are
/// free text, all of which must match (CKAN's dismax with its default `mm`), never an error.
pub fn parse_q(input: &str, now: DateTime<Utc>) -> Result<Fq, FqError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(Fq::All);
    }
    if input.contains(':') {
        return parse(input, now);
    }
    let words: Vec<Fq> = input
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| "\"()[]{}+!".contains(c)))
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT" | "&&" | "||" | "-"))
        .map(|w| Fq::Term {
            field: FqField::Text,
            value: w.to_string(),
        })
        .collect();
    Ok(match words.len() {
        0 => Fq::All,
        1 => words.into_iter().next().unwrap_or(Fq::All),
        _ => Fq::And(words),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occur {
    Must,
    Should,
    MustNot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conj {
    None,
    And,
    Or,
}

struct Parser {
    s: Vec<char>,
    i: usize,
    now: DateTime<Utc>,
}

const SPECIAL: &str = "()[]{}\":";

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    /// The next bare word (not consumed), for keyword checks.
    fn peek_word(&self) -> String {
        let mut j = self.i;
        let mut w = String::new();
        while let Some(&c) = self.s.get(j) {
            if c.is_whitespace() || "()".contains(c) {
                break;
            }
            w.push(c);
            j += 1;
        }
        w
    }

    fn eat_word(&mut self, word: &str) {
        self.i += word.chars().count();
    }

    fn query(&mut self, in_group: bool, field: Option<FqField>) -> Result<Fq, FqError> {
        let mut clauses: Vec<(Occur, Fq)> = vec![];
        loop {
            self.skip_ws();
            match self.peek() {
                None if in_group => return err("Kurung buka '(' tanpa kurung tutup ')'."),
                None => break,
                Some(')') if in_group => {
                    self.i += 1;
                    break;
                }
                Some(')') => return err("Kurung tutup ')' tanpa kurung buka '('."),
                _ => {}
            }
            let mut conj = Conj::None;
            match self.peek_word().as_str() {
                w @ ("AND" | "&&") => {
                    conj = Conj::And;
                    self.eat_word(w);
                }
                w @ ("OR" | "||") => {
                    conj = Conj::Or;
                    self.eat_word(w);
                }
                _ => {}
            }
            if conj != Conj::None {
                if clauses.is_empty() {
                    return err("Kueri tidak boleh diawali AND atau OR.");
                }
                self.skip_ws();
                if self.peek().is_none() || self.peek() == Some(')') {
                    return err("AND atau OR harus diikuti syarat.");
                }
            }
            let mut prohibited = false;
            match self.peek() {
                Some('+') => self.i += 1,
                Some('-') | Some('!') => {
                    prohibited = true;
                    self.i += 1;
                }
                _ if self.peek_word() == "NOT" => {
                    prohibited = true;
                    self.eat_word("NOT");
                    self.skip_ws();
                }
                _ => {}
            }
            let clause = self.clause(field)?;
            // Lucene's addClause with the default operator AND.
            if let Some(last) = clauses.last_mut() {
                if last.0 != Occur::MustNot {
                    match conj {
                        Conj::And => last.0 = Occur::Must,
                        Conj::Or => last.0 = Occur::Should,
                        Conj::None => {}
                    }
                }
            }
            let occur = if prohibited {
                Occur::MustNot
            } else if conj == Conj::Or {
                Occur::Should
            } else {
                Occur::Must
            };
            clauses.push((occur, clause));
        }
        Ok(combine(clauses))
    }

    fn clause(&mut self, field: Option<FqField>) -> Result<Fq, FqError> {
        self.skip_ws();
        match self.peek() {
            None => err("Tanda '+', '-' atau NOT harus diikuti syarat."),
            Some('(') => {
                self.i += 1;
                self.query(true, field)
            }
            Some('"') => {
                let v = self.quoted()?;
                Ok(term(field.unwrap_or(FqField::Text), v))
            }
            Some(c) if "[{".contains(c) => match field {
                Some(f) => self.range(f),
                None => err("Rentang [a TO b] harus didahului nama kolom, misalnya metadata_modified:[2024-01-01T00:00:00Z TO *]."),
            },
            Some(c) if ")]}:".contains(c) => err(format!("Tanda '{c}' tidak pada tempatnya.")),
            Some(_) => {
                let word = self.word(false)?;
                if self.peek() == Some(':') {
                    self.i += 1;
                    if field.is_some() {
                        return err(format!("Kolom '{word}' di dalam kurung kolom lain tidak didukung."));
                    }
                    if word == "*" {
                        let v = self.word(true)?;
                        return if v == "*" {
                            Ok(Fq::All)
                        } else {
                            err("Setelah '*:' hanya '*' yang didukung.")
                        };
                    }
                    let Some(f) = FqField::from_name(&word) else {
                        return err(format!("undefined field {word}"));
                    };
                    match self.peek() {
                        Some('(') => {
                            self.i += 1;
                            self.query(true, Some(f))
                        }
                        Some('[') | Some('{') => self.range(f),
                        Some('"') => {
                            let v = self.quoted()?;
                            Ok(term(f, v))
                        }
                        None => err(format!("Kolom '{word}' tanpa nilai.")),
                        Some(c) if c.is_whitespace() || c == ')' => {
                            err(format!("Kolom '{word}' tanpa nilai."))
                        }
                        Some(_) => {
                            let v = self.word(true)?;
                            if f.is_date() && v != "*" {
                                let t = self.time(&v)?;
                                Ok(Fq::Range {
                                    field: f,
                                    from: Bound::Included(t),
                                    to: Bound::Included(t),
                                })
                            } else {
                                Ok(term(f, v))
                            }
                        }
                    }
                } else {
                    Ok(term(field.unwrap_or(FqField::Text), word))
                }
            }
        }
    }

    /// A bare word; `allow_colon` inside values (times). Backslash escapes any character.
    fn word(&mut self, allow_colon: bool) -> Result<String, FqError> {
        let mut w = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' {
                self.i += 1;
                match self.peek() {
                    Some(e) => {
                        w.push(e);
                        self.i += 1;
                    }
                    None => return err("Garis miring terbalik '\\' di akhir kueri."),
                }
                continue;
            }
            if c.is_whitespace() || (SPECIAL.contains(c) && !(allow_colon && c == ':')) {
                break;
            }
            w.push(c);
            self.i += 1;
        }
        if w.is_empty() {
            return err("Nilai kosong dalam kueri.");
        }
        Ok(w)
    }

    fn quoted(&mut self) -> Result<String, FqError> {
        self.i += 1;
        let mut v = String::new();
        loop {
            match self.peek() {
                None => return err("Tanda kutip '\"' tidak ditutup."),
                Some('"') => {
                    self.i += 1;
                    return Ok(v);
                }
                Some('\\') => {
                    self.i += 1;
                    if let Some(e) = self.peek() {
                        v.push(e);
                        self.i += 1;
                    }
                }
                Some(c) => {
                    v.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn range(&mut self, field: FqField) -> Result<Fq, FqError> {
        let open = self.peek();
        self.i += 1;
        if !field.is_date() {
            return err(
                "Rentang [a TO b] hanya didukung untuk metadata_modified dan metadata_created.",
            );
        }
        self.skip_ws();
        let lo = self.range_value()?;
        self.skip_ws();
        if self.peek_word() != "TO" {
            return err("Rentang harus berbentuk [awal TO akhir].");
        }
        self.eat_word("TO");
        self.skip_ws();
        let hi = self.range_value()?;
        self.skip_ws();
        let close = self.peek();
        if !matches!(close, Some(']') | Some('}')) {
            return err("Rentang tidak ditutup dengan ']' atau '}'.");
        }
        self.i += 1;
        let bound = |v: Option<DateTime<Utc>>, inclusive: bool| match v {
            None => Bound::Unbounded,
            Some(t) if inclusive => Bound::Included(t),
            Some(t) => Bound::Excluded(t),
        };
        let from = bound(self.time_or_star(&lo)?, open == Some('['));
        let to = bound(self.time_or_star(&hi)?, close == Some(']'));
        Ok(Fq::Range { field, from, to })
    }

    fn range_value(&mut self) -> Result<String, FqError> {
        if self.peek() == Some('"') {
            return self.quoted();
        }
        let mut v = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ']' || c == '}' {
                break;
            }
            if c == '\\' {
                self.i += 1;
                continue;
            }
            v.push(c);
            self.i += 1;
        }
        if v.is_empty() {
            return err("Batas rentang kosong.");
        }
        Ok(v)
    }

    fn time_or_star(&self, v: &str) -> Result<Option<DateTime<Utc>>, FqError> {
        if v == "*" {
            Ok(None)
        } else {
            self.time(v).map(Some)
        }
    }

    /// A Solr date: `2024-01-01T00:00:00Z` (fraction and `Z` optional), `2024-01-01`, `NOW`,
    /// `NOW-7DAYS`, `NOW/DAY`.
    fn time(&self, v: &str) -> Result<DateTime<Utc>, FqError> {
        if let Some(rest) = v.strip_prefix("NOW") {
            return date_math(self.now, rest);
        }
        let bare = v.trim_end_matches('Z');
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(bare, fmt) {
                return Ok(Utc.from_utc_datetime(&t));
            }
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Ok(t.with_timezone(&Utc));
        }
        if let Ok(d) = NaiveDate::parse_from_str(bare, "%Y-%m-%d") {
            return Ok(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()));
        }
        err(format!(
            "Waktu '{v}' tidak dikenali; pakai bentuk 2024-01-31T00:00:00Z, NOW atau NOW-7DAYS."
        ))
    }
}

fn date_math(mut t: DateTime<Utc>, mut rest: &str) -> Result<DateTime<Utc>, FqError> {
    while !rest.is_empty() {
        let op = rest.chars().next().unwrap_or(' ');
        rest = &rest[1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        rest = &rest[digits.len()..];
        let unit: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
        rest = &rest[unit.len()..];
        let unit = unit.trim_end_matches('S');
        if op == '/' {
            if !digits.is_empty() {
                return err("Pembulatan waktu berbentuk NOW/DAY.");
            }
            t = match unit {
                "DAY" => {
                    Utc.from_utc_datetime(&t.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default())
                }
                "HOUR" => t - Duration::seconds(t.timestamp().rem_euclid(3600)),
                _ => return err(format!("Satuan pembulatan '{unit}' tidak didukung.")),
            };
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| FqError {
            message: "Hitungan waktu berbentuk NOW-7DAYS.".into(),
        })?;
        let n = if op == '-' {
            -n
        } else if op == '+' {
            n
        } else {
            return err("Hitungan waktu berbentuk NOW-7DAYS atau NOW+1DAY.");
        };
        let d = match unit {
            "SECOND" => Duration::seconds(n),
            "MINUTE" => Duration::minutes(n),
            "HOUR" => Duration::hours(n),
            "DAY" => Duration::days(n),
            "WEEK" => Duration::weeks(n),
            "MONTH" => Duration::days(30 * n),
            "YEAR" => Duration::days(365 * n),
            _ => return err(format!("Satuan waktu '{unit}' tidak didukung.")),
        };
        t += d;
    }
    Ok(t)
}

fn term(field: FqField, value: String) -> Fq {
    Fq::Term { field, value }
}

/// Turn Lucene's clause occurrences into a boolean tree.
fn combine(clauses: Vec<(Occur, Fq)>) -> Fq {
    let mut must = vec![];
    let mut should = vec![];
    let mut not = vec![];
    for (o, q) in clauses {
        match o {
            Occur::Must => must.push(q),
            Occur::Should => should.push(q),
            Occur::MustNot => not.push(Fq::Not(Box::new(q))),
        }
    }
    let mut all = vec![];
    if !must.is_empty() {
        all.extend(must);
    } else if !should.is_empty() {
        all.push(if should.len() == 1 {
            should.pop().unwrap_or(Fq::All)
        } else {
            Fq::Or(should)
        });
    }
    all.extend(not);
    match all.len() {
        0 => Fq::All,
        1 => all.pop().unwrap_or(Fq::All),
        _ => Fq::And(all),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).unwrap()
    }

    fn p(s: &str) -> Fq {
        parse(s, now()).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn t(field: FqField, v: &str) -> Fq {
        Fq::Term {
            field,
            value: v.into(),
        }
    }

    fn not(q: Fq) -> Fq {
        Fq::Not(Box::new(q))
    }

    use FqField::*;

    #[test]
    fn harvester_since_range() {
        assert_eq!(
            p("metadata_modified:[2024-01-01T00:00:00Z TO *]"),
            Fq::Range {
                field: MetadataModified,
                from: Bound::Included(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()),
                to: Bound::Unbounded
            }
        );
        // Python's isoformat() with microseconds, then Z.
        assert!(matches!(
            p("metadata_modified:[2024-01-01T10:11:12.123456Z TO NOW}"),
            Fq::Range { to: Bound::Excluded(x), .. } if x == now()
        ));
        assert!(matches!(
            p("metadata_created:[NOW-7DAYS TO NOW]"),
            Fq::Range { from: Bound::Included(x), .. } if x == now() - Duration::days(7)
        ));
    }

    #[test]
    fn fields_negations_and_defaults() {
        assert_eq!(p("organization:dinkes"), t(Organization, "dinkes"));
        assert_eq!(
            p("organization:dinkes groups:kesehatan tags:gizi res_format:CSV"),
            Fq::And(vec![
                t(Organization, "dinkes"),
                t(Groups, "kesehatan"),
                t(Tags, "gizi"),
                t(ResFormat, "CSV")
            ])
        );
        assert_eq!(p("-organization:dinkes"), not(t(Organization, "dinkes")));
        assert_eq!(p("NOT tags:x"), not(t(Tags, "x")));
        assert_eq!(p("!tags:x"), not(t(Tags, "x")));
        assert_eq!(
            p("+organization:a AND -groups:b"),
            Fq::And(vec![t(Organization, "a"), not(t(Groups, "b"))])
        );
        assert_eq!(p("tags:\"air bersih\""), t(Tags, "air bersih"));
        assert_eq!(p("*:*"), Fq::All);
        assert_eq!(p(""), Fq::All);
        assert_eq!(p("  "), Fq::All);
        assert_eq!(p("+dataset_type:dataset"), t(Type, "dataset"));
        assert_eq!(p("name:dinas\\-x"), t(Name, "dinas-x"));
    }

    #[test]
    fn or_lists_of_harvester_filters() {
        assert_eq!(
            p("organization:a OR organization:b -groups:c"),
            Fq::And(vec![
                Fq::Or(vec![t(Organization, "a"), t(Organization, "b")]),
                not(t(Groups, "c"))
            ])
        );
        assert_eq!(
            p("organization:(a OR b)"),
            Fq::Or(vec![t(Organization, "a"), t(Organization, "b")])
        );
        assert_eq!(
            p("(organization:a OR organization:b) metadata_modified:[2024-01-01 TO *]"),
            Fq::And(vec![
                Fq::Or(vec![t(Organization, "a"), t(Organization, "b")]),
                Fq::Range {
                    field: MetadataModified,
                    from: Bound::Included(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()),
                    to: Bound::Unbounded
                }
            ])
        );
        // Lucene: a required clause makes the optional ones irrelevant.
        assert_eq!(
            p("tags:a OR tags:b AND tags:c"),
            Fq::And(vec![t(Tags, "b"), t(Tags, "c")])
        );
        assert_eq!(
            p("-tags:a -tags:b"),
            Fq::And(vec![not(t(Tags, "a")), not(t(Tags, "b"))])
        );
    }

    #[test]
    fn bad_syntax_is_a_search_query_error() {
        for bad in [
            "organization:",
            "organization:(a OR b",
            "a)",
            "tags:\"open",
            "AND tags:x",
            "tags:x OR",
            "metadata_modified:[2024 TO",
            "metadata_modified:[kemarin TO *]",
            "metadata_modified:[2024-01-01 *]",
            "nonsense_field:x",
            "tags:[a TO b]",
            "-",
        ] {
            assert!(parse(bad, now()).is_err(), "{bad} should fail");
        }
        assert!(parse("nonsense_field:x", now())
            .unwrap_err()
            .message
            .contains("undefined field"));
    }

    #[test]
    fn q_without_fields_is_lenient_free_text() {
        assert_eq!(
            parse_q("air bersih", now()).unwrap(),
            Fq::And(vec![t(Text, "air"), t(Text, "bersih")])
        );
        assert_eq!(
            parse_q("\"(unbalanced", now()).unwrap(),
            t(Text, "unbalanced")
        );
        assert_eq!(parse_q("", now()).unwrap(), Fq::All);
        assert_eq!(parse_q("tags:gizi", now()).unwrap(), t(Tags, "gizi"));
        assert!(parse_q("tags:(gizi", now()).is_err());
    }
}
