//! RDF/XML: one `rdf:Description` per subject, properties as qualified elements.

use std::fmt::Write;

use super::{split_known, Graph, Term, PREFIXES};

fn escape(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            // Characters XML 1.0 cannot carry are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
}

/// A predicate IRI as (prefix, local), declaring `ns0`, `ns1`, … for unknown namespaces. The local
/// part is the longest suffix that is an XML name; `None` when there is none (such a predicate
/// cannot be written in RDF/XML).
fn qname(iri: &str, extra: &mut Vec<(String, String)>) -> Option<(String, String)> {
    if let Some((p, local)) = split_known(iri) {
        return Some((p.to_string(), local.to_string()));
    }
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    let mut cut = iri.len();
    for (i, c) in iri.char_indices().rev() {
        if !name_char(c) {
            break;
        }
        cut = i;
    }
    while let Some(c) = iri[cut..].chars().next() {
        if c.is_ascii_alphabetic() || c == '_' {
            break;
        }
        cut += c.len_utf8();
    }
    if cut >= iri.len() {
        return None;
    }
    let (ns, local) = (iri[..cut].to_string(), iri[cut..].to_string());
    let prefix = match extra.iter().find(|(_, n)| *n == ns) {
        Some((p, _)) => p.clone(),
        None => {
            let p = format!("ns{}", extra.len());
            extra.push((p.clone(), ns));
            p
        }
    };
    Some((prefix, local))
}

/// The graph as RDF/XML.
pub fn write(g: &Graph) -> String {
    let mut extra: Vec<(String, String)> = vec![];
    let mut body = String::new();
    for (s, triples) in g.by_subject() {
        body.push_str("  <rdf:Description ");
        match s {
            Term::Blank(b) => {
                body.push_str("rdf:nodeID=\"");
                escape(b, true, &mut body);
            }
            other => {
                body.push_str("rdf:about=\"");
                if let Term::Iri(i) = other {
                    escape(i, true, &mut body);
                }
            }
        }
        body.push_str("\">\n");
        for t in triples {
            let Some((p, local)) = qname(&t.p, &mut extra) else {
                continue;
            };
            let _ = write!(body, "    <{p}:{local}");
            match &t.o {
                Term::Iri(i) => {
                    body.push_str(" rdf:resource=\"");
                    escape(i, true, &mut body);
                    body.push_str("\"/>\n");
                }
                Term::Blank(b) => {
                    body.push_str(" rdf:nodeID=\"");
                    escape(b, true, &mut body);
                    body.push_str("\"/>\n");
                }
                Term::Literal {
                    value,
                    lang,
                    datatype,
                } => {
                    if let Some(l) = lang {
                        body.push_str(" xml:lang=\"");
                        escape(l, true, &mut body);
                        body.push('"');
                    } else if let Some(d) = datatype {
                        body.push_str(" rdf:datatype=\"");
                        escape(d, true, &mut body);
                        body.push('"');
                    }
                    body.push('>');
                    escape(value, false, &mut body);
                    let _ = writeln!(body, "</{p}:{local}>");
                }
            }
        }
        body.push_str("  </rdf:Description>\n");
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF");
    for (p, ns) in PREFIXES
        .iter()
        .map(|(p, n)| (p.to_string(), n.to_string()))
        .chain(extra)
    {
        out.push_str("\n    xmlns:");
        out.push_str(&p);
        out.push_str("=\"");
        escape(&ns, true, &mut out);
        out.push('"');
    }
    out.push_str(">\n");
    out.push_str(&body);
    out.push_str("</rdf:RDF>\n");
    out
}
