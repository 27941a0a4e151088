//! Turtle 1.1.

use std::fmt::Write;

use super::{split_known, Graph, Term, PREFIXES};

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

fn iri(i: &str, out: &mut String) {
    match split_known(i) {
        Some((p, local)) => {
            out.push_str(p);
            out.push(':');
            out.push_str(local);
        }
        None => {
            out.push('<');
            for c in i.chars() {
                // IRIREF forbids these; percent-encode them.
                if matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\') || c <= ' ' {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let _ = write!(out, "%{b:02X}");
                    }
                } else {
                    out.push(c);
                }
            }
            out.push('>');
        }
    }
}

fn term(t: &Term, out: &mut String) {
    match t {
        Term::Iri(i) => iri(i, out),
        Term::Blank(b) => {
            out.push_str("_:");
            out.push_str(b);
        }
        Term::Literal {
            value,
            lang,
            datatype,
        } => {
            out.push('"');
            escape(value, out);
            out.push('"');
            if let Some(l) = lang {
                out.push('@');
                out.push_str(l);
            } else if let Some(d) = datatype {
                out.push_str("^^");
                iri(d, out);
            }
        }
    }
}

/// The graph as Turtle, one block per subject.
pub fn write(g: &Graph) -> String {
    let mut out = String::new();
    for (p, ns) in PREFIXES {
        let _ = writeln!(out, "@prefix {p}: <{ns}> .");
    }
    for (s, triples) in g.by_subject() {
        out.push('\n');
        term(s, &mut out);
        let mut last_p: Option<&str> = None;
        for t in triples {
            if last_p == Some(t.p.as_str()) {
                out.push_str(",\n        ");
            } else {
                if last_p.is_some() {
                    out.push_str(" ;");
                }
                out.push_str("\n    ");
                if t.p == super::iri("rdf:type") {
                    out.push('a');
                } else {
                    iri(&t.p, &mut out);
                }
                out.push(' ');
            }
            term(&t.o, &mut out);
            last_p = Some(t.p.as_str());
        }
        out.push_str(" .\n");
    }
    out
}
