//! JSON-LD 1.1: a `@graph` of node objects keyed by compact IRIs, with the prefixes as `@context`.

use serde_json::{json, Map, Value};

use super::{split_known, Graph, Term, PREFIXES};

fn compact(iri: &str) -> String {
    match split_known(iri) {
        Some((p, local)) => format!("{p}:{local}"),
        None => iri.to_string(),
    }
}

fn node_id(t: &Term) -> String {
    match t {
        Term::Iri(i) => i.clone(),
        Term::Blank(b) => format!("_:{b}"),
        Term::Literal { value, .. } => value.clone(),
    }
}

fn object(t: &Term) -> Value {
    match t {
        Term::Iri(_) | Term::Blank(_) => json!({"@id": node_id(t)}),
        Term::Literal {
            value,
            lang,
            datatype,
        } => {
            let mut o = Map::new();
            o.insert("@value".into(), value.clone().into());
            if let Some(l) = lang {
                o.insert("@language".into(), l.clone().into());
            } else if let Some(d) = datatype {
                o.insert("@type".into(), compact(d).into());
            }
            Value::Object(o)
        }
    }
}

/// The graph as a JSON-LD document.
pub fn write(g: &Graph) -> Value {
    let context: Map<String, Value> = PREFIXES
        .iter()
        .map(|(p, ns)| (p.to_string(), Value::String(ns.to_string())))
        .collect();
    let rdf_type = super::iri("rdf:type");
    let nodes: Vec<Value> = g
        .by_subject()
        .into_iter()
        .map(|(s, triples)| {
            let mut node = Map::new();
            node.insert("@id".into(), node_id(s).into());
            for t in triples {
                if t.p == rdf_type {
                    if let Term::Iri(i) = &t.o {
                        let types = node.entry("@type").or_insert_with(|| json!([]));
                        if let Value::Array(a) = types {
                            a.push(compact(i).into());
                        }
                        continue;
                    }
                }
                let values = node.entry(compact(&t.p)).or_insert_with(|| json!([]));
                if let Value::Array(a) = values {
                    a.push(object(&t.o));
                }
            }
            Value::Object(node)
        })
        .collect();
    json!({"@context": context, "@graph": nodes})
}
