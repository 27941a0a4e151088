//! DCAT-AP 3.0.1: the catalogue (paged with Hydra) and each dataset as an RDF [`Graph`].
//!
//! Every node the DCAT-AP SHACL shapes constrain by class is typed here (publisher `foaf:Agent`,
//! licence `dct:LicenseDocument`, frequency `dct:Frequency`, …) so that the published graph passes
//! the official shapes on its own, without the reader fetching the EU vocabularies.

use std::collections::HashSet;

use satudata_core::dataset::{Access, Periodicity, ResourceKind};

use crate::iso_time;
use crate::license;
use crate::rdf::{Graph, Term};
use crate::site::{DownloadFormat, Package, Site};

const EU: &str = "http://publications.europa.eu/resource/authority/";

/// Which page of the catalogue a document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogPage {
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
    /// All datasets in the catalogue (for this reader).
    pub total: u64,
}

impl CatalogPage {
    /// The last page number (at least 1).
    pub fn last(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// The EU frequency authority code of a periodicity.
pub fn eu_frequency(p: Periodicity) -> &'static str {
    match p {
        Periodicity::Harian => "DAILY",
        Periodicity::Mingguan => "WEEKLY",
        Periodicity::Bulanan => "MONTHLY",
        Periodicity::Triwulanan => "QUARTERLY",
        Periodicity::Semesteran => "ANNUAL_2",
        Periodicity::Tahunan => "ANNUAL",
        Periodicity::TidakTentu => "IRREG",
    }
}

/// The EU access-right authority code of an access level.
pub fn eu_access_right(a: Access) -> &'static str {
    match a {
        Access::Terbuka => "PUBLIC",
        Access::Terbatas => "RESTRICTED",
        Access::Tertutup => "NON_PUBLIC",
    }
}

/// Builds one document, describing each shared node (licence, publisher, …) once.
struct Builder<'a> {
    g: Graph,
    site: &'a Site,
    described: HashSet<String>,
}

impl<'a> Builder<'a> {
    fn new(site: &'a Site) -> Self {
        Builder {
            g: Graph::new(),
            site,
            described: HashSet::new(),
        }
    }

    /// Type `node` as `class` with a label, once per document.
    fn describe(&mut self, node: &Term, class: &str, label: Option<(&str, Term)>) {
        let key = format!("{node:?}|{class}");
        if !self.described.insert(key) {
            return;
        }
        self.g.add(node, "rdf:type", Term::iri(class));
        if let Some((p, o)) = label {
            self.g.add(node, p, o);
        }
    }

    fn languages(&mut self, subject: &Term) {
        for code in ["IND", "ENG"] {
            let l = Term::Iri(format!("{EU}language/{code}"));
            self.g.add(subject, "dct:language", l.clone());
            self.describe(&l, "dct:LinguisticSystem", None);
        }
    }

    fn spatial(&mut self, subject: &Term) {
        let loc = Term::Iri(self.site.url(&format!(
            "/api/v1/regions/{}",
            self.site.home_region.dotted()
        )));
        self.g.add(subject, "dct:spatial", loc.clone());
        let name = self.site.region_name.clone();
        self.describe(
            &loc,
            "dct:Location",
            Some(("skos:prefLabel", Term::lang(name, "id"))),
        );
        if self.described.insert(format!("{loc:?}|notation")) {
            self.g.add(
                &loc,
                "skos:notation",
                Term::str(self.site.home_region.dotted()),
            );
        }
    }

    fn catalog_publisher(&mut self) -> Term {
        let agent = Term::Iri(self.site.url("/#penerbit"));
        if self.described.insert("catalog-publisher".into()) {
            self.g.add(&agent, "rdf:type", Term::iri("foaf:Agent"));
            self.g.add(
                &agent,
                "foaf:name",
                Term::lang(&self.site.publisher_name, "id"),
            );
            self.g.add(
                &agent,
                "foaf:name",
                Term::lang(format!("Government of {}", self.site.region_name), "en"),
            );
            let kind = Term::Iri("http://purl.org/adms/publishertype/LocalAuthority".into());
            self.g.add(&agent, "dct:type", kind.clone());
            self.describe(
                &kind,
                "skos:Concept",
                Some(("skos:prefLabel", Term::lang("Local Authority", "en"))),
            );
        }
        agent
    }

    fn dataset(&mut self, p: &Package) -> Term {
        let site = self.site;
        let ds = p.dataset;
        let m = &ds.meta;
        let node = Term::Iri(site.dataset_page(&m.slug));
        self.g.add(&node, "rdf:type", Term::iri("dcat:Dataset"));
        self.g.add(&node, "dct:title", Term::lang(&m.title, "id"));
        let description = if m.description.trim().is_empty() {
            m.title.clone()
        } else {
            m.description.clone()
        };
        self.g
            .add(&node, "dct:description", Term::lang(description, "id"));
        self.g
            .add(&node, "dct:identifier", Term::str(ds.id.to_string()));
        self.g.add(
            &node,
            "dct:issued",
            Term::typed(iso_time(ds.created_at), "xsd:dateTime"),
        );
        self.g.add(
            &node,
            "dct:modified",
            Term::typed(iso_time(p.modified()), "xsd:dateTime"),
        );
        for t in &m.tags {
            self.g.add(&node, "dcat:keyword", Term::lang(t, "id"));
        }
        let scheme = Term::Iri(site.url("/api/v1/topics"));
        for topic in p.topics {
            let c = Term::Iri(site.topic_url(&topic.slug));
            self.g.add(&node, "dcat:theme", c.clone());
            if self.described.insert(format!("{c:?}|concept")) {
                self.g.add(&c, "rdf:type", Term::iri("skos:Concept"));
                self.g
                    .add(&c, "skos:prefLabel", Term::lang(&topic.name, "id"));
                if let Some(en) = &topic.name_en {
                    self.g.add(&c, "skos:prefLabel", Term::lang(en, "en"));
                }
                self.g.add(&c, "skos:inScheme", scheme.clone());
            }
        }
        // Publisher: the producing organisation.
        let org = p.organization;
        let agent = Term::Iri(site.organization_url(&org.meta.slug));
        self.g.add(&node, "dct:publisher", agent.clone());
        if self.described.insert(format!("{agent:?}|agent")) {
            self.g.add(&agent, "rdf:type", Term::iri("foaf:Agent"));
            self.g
                .add(&agent, "foaf:name", Term::lang(&org.meta.name, "id"));
        }
        // Contact point: the producer, else the organisation.
        let contact = self.g.blank();
        self.g.add(&node, "dcat:contactPoint", contact.clone());
        self.g
            .add(&contact, "rdf:type", Term::iri("vcard:Organization"));
        self.g.add(&contact, "rdf:type", Term::iri("vcard:Kind"));
        let name = m.author.clone().unwrap_or_else(|| org.meta.name.clone());
        self.g.add(&contact, "vcard:fn", Term::str(name));
        if let Some(e) = m
            .author_email
            .as_ref()
            .or(org.meta.email.as_ref())
            .filter(|e| e.contains('@'))
        {
            self.g
                .add(&contact, "vcard:hasEmail", Term::Iri(format!("mailto:{e}")));
        }
        // Time covered.
        if m.temporal_start.is_some() || m.temporal_end.is_some() {
            let period = self.g.blank();
            self.g.add(&node, "dct:temporal", period.clone());
            self.g
                .add(&period, "rdf:type", Term::iri("dct:PeriodOfTime"));
            if let Some(y) = m.temporal_start {
                self.g.add(
                    &period,
                    "dcat:startDate",
                    Term::typed(format!("{y:04}-01-01"), "xsd:date"),
                );
            }
            if let Some(y) = m.temporal_end {
                self.g.add(
                    &period,
                    "dcat:endDate",
                    Term::typed(format!("{y:04}-12-31"), "xsd:date"),
                );
            }
        }
        let freq = Term::Iri(format!("{EU}frequency/{}", eu_frequency(m.periodicity)));
        self.g.add(&node, "dct:accrualPeriodicity", freq.clone());
        self.describe(
            &freq,
            "dct:Frequency",
            Some(("skos:prefLabel", Term::lang(m.periodicity.as_str(), "id"))),
        );
        let rights = Term::Iri(format!("{EU}access-right/{}", eu_access_right(m.access)));
        self.g.add(&node, "dct:accessRights", rights.clone());
        self.describe(
            &rights,
            "dct:RightsStatement",
            Some(("skos:prefLabel", Term::lang(m.access.as_str(), "id"))),
        );
        self.spatial(&node);
        let landing = Term::Iri(site.dataset_page(&m.slug));
        self.g.add(&node, "dcat:landingPage", landing.clone());
        self.describe(&landing, "foaf:Document", None);
        for (code, label) in [
            (&m.id_dds, "Kode Daftar Data"),
            (&m.id_sds, "Kode Standar Data"),
        ] {
            if let Some(code) = code.as_ref().filter(|c| !c.is_empty()) {
                let id = self.g.blank();
                self.g.add(&node, "adms:identifier", id.clone());
                self.g.add(&id, "rdf:type", Term::iri("adms:Identifier"));
                self.g.add(&id, "skos:notation", Term::str(code));
                self.g.add(&id, "rdfs:label", Term::lang(label, "id"));
            }
        }
        if let Some(v) = p.version() {
            self.g.add(&node, "dcat:version", Term::str(v.to_string()));
        }
        let lic = license::describe(&m.license);
        let lic_node = Term::Iri(lic.url.to_string());
        for entry in p.resources {
            let r = &entry.resource;
            match &r.kind {
                ResourceKind::Table { .. } => {
                    let schema = Term::Iri(site.schema_url(&m.slug, &r.name));
                    self.g.add(&node, "dct:conformsTo", schema.clone());
                    self.describe(
                        &schema,
                        "dct:Standard",
                        Some((
                            "dct:title",
                            Term::lang(format!("Table Schema: {}", r.title), "id"),
                        )),
                    );
                    for f in DownloadFormat::ALL {
                        let dist = Term::Iri(format!(
                            "{}#{}",
                            site.download_url(&m.slug, &r.name, f),
                            f.extension()
                        ));
                        self.g.add(&node, "dcat:distribution", dist.clone());
                        self.g
                            .add(&dist, "rdf:type", Term::iri("dcat:Distribution"));
                        self.g.add(
                            &dist,
                            "dct:title",
                            Term::lang(format!("{} ({})", r.title, f.label()), "id"),
                        );
                        if !r.description.is_empty() {
                            self.g
                                .add(&dist, "dct:description", Term::lang(&r.description, "id"));
                        }
                        self.g.add(&dist, "dcat:accessURL", landing.clone());
                        if p.data_readable && entry.latest.is_some() {
                            self.g.add(
                                &dist,
                                "dcat:downloadURL",
                                Term::Iri(site.download_url(&m.slug, &r.name, f)),
                            );
                        }
                        let mt = Term::Iri(format!(
                            "http://www.iana.org/assignments/media-types/{}",
                            f.media_type()
                        ));
                        self.g.add(&dist, "dcat:mediaType", mt.clone());
                        self.describe(&mt, "dct:MediaType", None);
                        let ft = Term::Iri(format!("{EU}file-type/{}", f.eu_file_type()));
                        self.g.add(&dist, "dct:format", ft.clone());
                        self.describe(&ft, "dct:MediaTypeOrExtent", None);
                        self.g.add(&dist, "dct:license", lic_node.clone());
                        self.g.add(&dist, "dct:conformsTo", schema.clone());
                        self.g.add(
                            &dist,
                            "dct:modified",
                            Term::typed(iso_time(entry.last_modified()), "xsd:dateTime"),
                        );
                    }
                }
                ResourceKind::File {
                    media_type, size, ..
                } => {
                    let url = site.url(&format!("/dataset/{}/{}", m.slug, r.name));
                    let dist = Term::Iri(url.clone());
                    self.g.add(&node, "dcat:distribution", dist.clone());
                    self.g
                        .add(&dist, "rdf:type", Term::iri("dcat:Distribution"));
                    self.g.add(&dist, "dct:title", Term::lang(&r.title, "id"));
                    self.g.add(&dist, "dcat:accessURL", landing.clone());
                    if p.data_readable {
                        self.g.add(&dist, "dcat:downloadURL", Term::Iri(url));
                    }
                    let mt = Term::Iri(format!(
                        "http://www.iana.org/assignments/media-types/{media_type}"
                    ));
                    self.g.add(&dist, "dcat:mediaType", mt.clone());
                    self.describe(&mt, "dct:MediaType", None);
                    self.g.add(
                        &dist,
                        "dcat:byteSize",
                        Term::typed(size.to_string(), "xsd:nonNegativeInteger"),
                    );
                    self.g.add(&dist, "dct:license", lic_node.clone());
                }
            }
        }
        self.describe(
            &lic_node,
            "dct:LicenseDocument",
            Some(("dct:title", Term::lang(lic.title, "en"))),
        );
        node
    }
}

/// One page of the catalogue: the `dcat:Catalog` with its datasets, and the Hydra paging links.
/// `ext` is the serialisation's extension (`ttl`, `jsonld`, `rdf`) for the page links.
pub fn catalog_graph(site: &Site, packages: &[Package], page: CatalogPage, ext: &str) -> Graph {
    let mut b = Builder::new(site);
    let cat = Term::Iri(site.url("/catalog"));
    b.g.add(&cat, "rdf:type", Term::iri("dcat:Catalog"));
    b.g.add(&cat, "dct:title", Term::lang(&site.title, "id"));
    b.g.add(&cat, "dct:title", Term::lang(&site.title_en, "en"));
    b.g.add(&cat, "dct:description", Term::lang(&site.description, "id"));
    b.g.add(
        &cat,
        "dct:description",
        Term::lang(&site.description_en, "en"),
    );
    let publisher = b.catalog_publisher();
    b.g.add(&cat, "dct:publisher", publisher);
    let home = Term::Iri(site.url("/"));
    b.g.add(&cat, "foaf:homepage", home.clone());
    b.describe(&home, "foaf:Document", None);
    b.languages(&cat);
    b.spatial(&cat);
    let scheme = Term::Iri(site.url("/api/v1/topics"));
    b.g.add(&cat, "dcat:themeTaxonomy", scheme.clone());
    b.g.add(&scheme, "rdf:type", Term::iri("skos:ConceptScheme"));
    b.g.add(&scheme, "dct:title", Term::lang("Topik data", "id"));
    b.g.add(&scheme, "dct:title", Term::lang("Data topics", "en"));
    let lic = license::describe("CC-BY-4.0");
    let lic_node = Term::Iri(lic.url.to_string());
    b.g.add(&cat, "dct:license", lic_node.clone());
    b.describe(
        &lic_node,
        "dct:LicenseDocument",
        Some(("dct:title", Term::lang(lic.title, "en"))),
    );
    if let Some(latest) = packages.iter().map(Package::modified).max() {
        b.g.add(
            &cat,
            "dct:modified",
            Term::typed(iso_time(latest), "xsd:dateTime"),
        );
    }
    let ds_nodes: Vec<Term> = packages.iter().map(|p| b.dataset(p)).collect();
    for n in ds_nodes {
        b.g.add(&cat, "dcat:dataset", n);
    }
    // Paging, as ckanext-dcat writes it (hydra:PagedCollection) plus the current Hydra terms.
    let page_url = |n: u64| Term::Iri(site.url(&format!("/catalog.{ext}?page={n}")));
    let coll = page_url(page.page);
    b.g.add(&coll, "rdf:type", Term::iri("hydra:PagedCollection"));
    b.g.add(&coll, "rdf:type", Term::iri("hydra:PartialCollectionView"));
    b.g.add(
        &coll,
        "hydra:totalItems",
        Term::typed(page.total.to_string(), "xsd:integer"),
    );
    b.g.add(
        &coll,
        "hydra:itemsPerPage",
        Term::typed(page.per_page.to_string(), "xsd:integer"),
    );
    b.g.add(&coll, "hydra:firstPage", page_url(1));
    b.g.add(&coll, "hydra:first", page_url(1));
    b.g.add(&coll, "hydra:lastPage", page_url(page.last()));
    b.g.add(&coll, "hydra:last", page_url(page.last()));
    if page.page > 1 {
        b.g.add(&coll, "hydra:previousPage", page_url(page.page - 1));
        b.g.add(&coll, "hydra:previous", page_url(page.page - 1));
    }
    if page.page < page.last() {
        b.g.add(&coll, "hydra:nextPage", page_url(page.page + 1));
        b.g.add(&coll, "hydra:next", page_url(page.page + 1));
    }
    b.g
}

/// One dataset on its own (for `/dataset/SLUG.ttl`).
pub fn dataset_graph(site: &Site, p: &Package) -> Graph {
    let mut b = Builder::new(site);
    b.dataset(p);
    b.g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::iri;
    use crate::testdata::{fixture, site};

    fn has(g: &Graph, p: &str, o: &Term) -> bool {
        let p = iri(p);
        g.triples.iter().any(|t| t.p == p && &t.o == o)
    }

    #[test]
    fn catalog_has_mandatory_properties_and_paging() {
        let f = fixture();
        let pkgs = [f.package()];
        let g = catalog_graph(
            &site(),
            &pkgs,
            CatalogPage {
                page: 1,
                per_page: 1,
                total: 3,
            },
            "ttl",
        );
        assert!(has(&g, "rdf:type", &Term::iri("dcat:Catalog")));
        assert!(has(
            &g,
            "dct:title",
            &Term::lang("Satu Data Kabupaten Musi Banyuasin", "id")
        ));
        assert!(g.triples.iter().any(|t| t.p == iri("dct:title")
            && matches!(&t.o, Term::Literal { lang: Some(l), .. } if l == "en")));
        assert!(has(
            &g,
            "foaf:name",
            &Term::lang("Pemerintah Kabupaten Musi Banyuasin", "id")
        ));
        assert!(has(
            &g,
            "hydra:next",
            &Term::Iri("https://data.example.go.id/catalog.ttl?page=2".into())
        ));
        assert!(has(
            &g,
            "hydra:lastPage",
            &Term::Iri("https://data.example.go.id/catalog.ttl?page=3".into())
        ));
        assert!(has(
            &g,
            "dcat:dataset",
            &Term::Iri("https://data.example.go.id/dataset/jumlah-penduduk".into())
        ));
    }

    #[test]
    fn dataset_maps_frequency_access_temporal_and_distributions() {
        let f = fixture();
        let g = dataset_graph(&site(), &f.package());
        assert!(has(
            &g,
            "dct:accrualPeriodicity",
            &Term::Iri(format!("{EU}frequency/ANNUAL"))
        ));
        assert!(has(
            &g,
            "dct:accessRights",
            &Term::Iri(format!("{EU}access-right/PUBLIC"))
        ));
        assert!(has(
            &g,
            "dcat:startDate",
            &Term::typed("2019-01-01", "xsd:date")
        ));
        assert!(has(&g, "dcat:keyword", &Term::lang("penduduk", "id")));
        assert!(has(
            &g,
            "dct:conformsTo",
            &Term::Iri(
                "https://data.example.go.id/dataset/jumlah-penduduk/tabel.schema.json".into()
            )
        ));
        let dists = g
            .triples
            .iter()
            .filter(|t| t.p == iri("dcat:distribution"))
            .count();
        assert_eq!(dists, 3, "CSV, XLSX and JSON");
        let access = g
            .triples
            .iter()
            .filter(|t| t.p == iri("dcat:accessURL"))
            .count();
        assert_eq!(access, 3);
        assert!(has(
            &g,
            "dcat:downloadURL",
            &Term::Iri("https://data.example.go.id/dataset/jumlah-penduduk/tabel.xlsx".into())
        ));
        // Shared nodes are described once.
        let lic = g
            .triples
            .iter()
            .filter(|t| t.o == Term::iri("dct:LicenseDocument"))
            .count();
        assert_eq!(lic, 1);
    }

    #[test]
    fn restricted_data_has_no_download_urls() {
        let f = fixture();
        let mut p = f.package();
        p.data_readable = false;
        let g = dataset_graph(&site(), &p);
        assert!(!g.triples.iter().any(|t| t.p == iri("dcat:downloadURL")));
        assert!(g.triples.iter().any(|t| t.p == iri("dcat:accessURL")));
    }

    #[test]
    fn serialises_in_three_syntaxes() {
        let f = fixture();
        let g = dataset_graph(&site(), &f.package());
        assert!(g.to_turtle().contains("a dcat:Dataset"));
        assert!(g
            .to_rdfxml()
            .contains("<dcat:keyword xml:lang=\"id\">penduduk</dcat:keyword>"));
        assert!(g.to_jsonld()["@graph"].as_array().unwrap().len() > 5);
    }
}
