//! A minimal RDF graph and its serialisers (Turtle, JSON-LD, RDF/XML), written by hand: the DCAT
//! output needs only to *write* a few hundred triples per document, which does not justify an RDF
//! library's build cost (see docs/decisions/0006-open-interfaces.md).

mod jsonld;
mod rdfxml;
mod turtle;

/// Well-known namespaces, with the prefixes every serialisation uses.
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("locn", "http://www.w3.org/ns/locn#"),
];

/// An IRI built from a prefix of [`PREFIXES`] and a local name.
pub fn iri(prefixed: &str) -> String {
    if let Some((p, local)) = prefixed.split_once(':') {
        if let Some((_, ns)) = PREFIXES.iter().find(|(k, _)| *k == p) {
            return format!("{ns}{local}");
        }
    }
    prefixed.to_string()
}

/// A subject or object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// An absolute IRI.
    Iri(String),
    /// A blank node, by local label.
    Blank(String),
    /// A literal with an optional language tag or datatype IRI.
    Literal {
        value: String,
        lang: Option<String>,
        datatype: Option<String>,
    },
}

impl Term {
    /// An IRI term; `prefix:local` forms of [`PREFIXES`] are expanded.
    pub fn iri(s: &str) -> Term {
        Term::Iri(iri(s))
    }
    /// A literal tagged with a language.
    pub fn lang(value: impl Into<String>, lang: &str) -> Term {
        Term::Literal {
            value: value.into(),
            lang: Some(lang.to_string()),
            datatype: None,
        }
    }
    /// A plain string literal.
    pub fn str(value: impl Into<String>) -> Term {
        Term::Literal {
            value: value.into(),
            lang: None,
            datatype: None,
        }
    }
    /// A literal of a datatype (`xsd:date`, …).
    pub fn typed(value: impl Into<String>, datatype: &str) -> Term {
        Term::Literal {
            value: value.into(),
            lang: None,
            datatype: Some(iri(datatype)),
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triple {
    pub s: Term,
    /// The predicate IRI.
    pub p: String,
    pub o: Term,
}

/// A graph: triples in the order they were added (serialisers group them by subject, keeping that
/// order, so documents read top-down: catalogue, datasets, distributions).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub triples: Vec<Triple>,
    blanks: usize,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Add a triple; `p` may be `prefix:local`.
    pub fn add(&mut self, s: &Term, p: &str, o: Term) {
        self.triples.push(Triple {
            s: s.clone(),
            p: iri(p),
            o,
        });
    }

    /// A fresh blank node.
    pub fn blank(&mut self) -> Term {
        self.blanks += 1;
        Term::Blank(format!("b{}", self.blanks))
    }

    /// Subjects in order of first appearance, each with its triples.
    pub fn by_subject(&self) -> Vec<(&Term, Vec<&Triple>)> {
        let mut order: Vec<&Term> = vec![];
        let mut groups: std::collections::HashMap<&Term, Vec<&Triple>> = Default::default();
        for t in &self.triples {
            let g = groups.entry(&t.s).or_default();
            if g.is_empty() {
                order.push(&t.s);
            }
            g.push(t);
        }
        order
            .into_iter()
            .map(|s| (s, groups.remove(s).unwrap_or_default()))
            .collect()
    }

    /// Serialise as Turtle.
    pub fn to_turtle(&self) -> String {
        turtle::write(self)
    }

    /// Serialise as JSON-LD (a `@graph` with the prefixes as `@context`).
    pub fn to_jsonld(&self) -> serde_json::Value {
        jsonld::write(self)
    }

    /// Serialise as RDF/XML.
    pub fn to_rdfxml(&self) -> String {
        rdfxml::write(self)
    }
}

/// Split an IRI into a namespace of [`PREFIXES`] and a local name that is safe in Turtle prefixed
/// names and XML element names.
pub(crate) fn split_known(iri: &str) -> Option<(&'static str, &str)> {
    PREFIXES.iter().find_map(|(p, ns)| {
        let local = iri.strip_prefix(ns)?;
        let ok = !local.is_empty()
            && local
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        ok.then_some((*p, local))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Graph {
        let mut g = Graph::new();
        let c = Term::Iri("https://x.example/catalog".into());
        g.add(&c, "rdf:type", Term::iri("dcat:Catalog"));
        g.add(
            &c,
            "dct:title",
            Term::lang("Katalog \"Satu\" Data\nbaris", "id"),
        );
        g.add(&c, "dct:title", Term::lang("One Data catalogue", "en"));
        g.add(&c, "dct:issued", Term::typed("2024-01-01", "xsd:date"));
        let b = g.blank();
        g.add(&c, "dct:publisher", b.clone());
        g.add(&b, "rdf:type", Term::iri("foaf:Agent"));
        g.add(&b, "foaf:name", Term::lang("Pemerintah <Kab> & Co", "id"));
        g.add(&c, "http://example.org/odd/1x", Term::str("odd predicate"));
        g
    }

    #[test]
    fn groups_triples_by_subject_in_order() {
        let g = sample();
        let s = g.by_subject();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].1.len(), 6);
        assert_eq!(iri("dct:title"), "http://purl.org/dc/terms/title");
    }

    #[test]
    fn turtle_escapes_and_uses_prefixes() {
        let t = sample().to_turtle();
        assert!(
            t.contains("@prefix dcat: <http://www.w3.org/ns/dcat#> ."),
            "{t}"
        );
        assert!(t.contains("a dcat:Catalog"), "{t}");
        assert!(
            t.contains("\"Katalog \\\"Satu\\\" Data\\nbaris\"@id"),
            "{t}"
        );
        assert!(t.contains("\"2024-01-01\"^^xsd:date"), "{t}");
        assert!(t.contains("<http://example.org/odd/1x>"), "{t}");
        assert!(t.contains("_:b1"), "{t}");
    }

    #[test]
    fn jsonld_has_context_graph_and_language_values() {
        let j = sample().to_jsonld();
        assert_eq!(j["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
        let cat = &j["@graph"][0];
        assert_eq!(cat["@id"], "https://x.example/catalog");
        assert_eq!(cat["@type"][0], "dcat:Catalog");
        assert_eq!(cat["dct:title"][1]["@language"], "en");
        assert_eq!(cat["dct:publisher"][0]["@id"], "_:b1");
        assert_eq!(cat["dct:issued"][0]["@type"], "xsd:date");
    }

    #[test]
    fn rdfxml_escapes_and_declares_namespaces() {
        let x = sample().to_rdfxml();
        assert!(
            x.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
            "{x}"
        );
        assert!(x.contains("xmlns:dct=\"http://purl.org/dc/terms/\""), "{x}");
        assert!(
            x.contains("<rdf:type rdf:resource=\"http://www.w3.org/ns/dcat#Catalog\"/>"),
            "{x}"
        );
        assert!(
            x.contains("<foaf:name xml:lang=\"id\">Pemerintah &lt;Kab&gt; &amp; Co</foaf:name>"),
            "{x}"
        );
        assert!(x.contains("rdf:nodeID=\"b1\""), "{x}");
        assert!(x.contains("xmlns:ns0=\"http://example.org/odd/1\""), "{x}");
    }
}
