//! What every mapping needs to know: the instance ([`Site`]) and one dataset with what belongs to
//! it ([`Package`]), plus the download formats every table has ([`DownloadFormat`]).

use satudata_core::dataset::{Dataset, Resource, ResourceKind, Topic, Version};
use satudata_core::organization::Organization;
use satudata_core::region::{RegionCode, RegionKind, Regions};

/// The instance that publishes: its address, names and home region.
#[derive(Debug, Clone)]
pub struct Site {
    /// The public address, without a trailing slash, e.g. `https://data.mubakab.go.id`.
    pub base_url: String,
    /// The portal's name in Bahasa Indonesia, e.g. "Satu Data Kabupaten Musi Banyuasin".
    pub title: String,
    /// The portal's name in English.
    pub title_en: String,
    /// What the portal is, in Bahasa Indonesia.
    pub description: String,
    /// What the portal is, in English.
    pub description_en: String,
    /// The government that publishes, e.g. "Pemerintah Kabupaten Musi Banyuasin".
    pub publisher_name: String,
    /// The home region (e.g. 16.06).
    pub home_region: RegionCode,
    /// The home region's display name, e.g. "Kabupaten Musi Banyuasin".
    pub region_name: String,
}

impl Site {
    /// The site of an instance at `base_url` named `title`, serving `home_region`; the other names are
    /// derived from the region registry.
    pub fn new(base_url: &str, title: &str, home_region: &RegionCode) -> Site {
        let region_name = Regions::get()
            .by_code(home_region)
            .map(|r| r.display_name())
            .unwrap_or_else(|| format!("Wilayah {}", home_region.dotted()));
        Site {
            base_url: base_url.trim_end_matches('/').to_string(),
            title: title.to_string(),
            title_en: format!("{region_name} One Data portal"),
            description: format!(
                "Portal Satu Data Indonesia {region_name}: data sektoral yang akurat, mutakhir, terpadu dan dapat dipertanggungjawabkan dari perangkat daerah dan desa."
            ),
            description_en: format!(
                "The One Data Indonesia portal of {region_name}: sectoral data from the regional agencies and villages."
            ),
            publisher_name: format!("Pemerintah {region_name}"),
            home_region: *home_region,
            region_name,
        }
    }

    /// An absolute URL for a path of the instance.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The SDI `publisher_type` (Tipe Instansi) of the instance.
    pub fn publisher_type(&self) -> &'static str {
        match self.home_region.kind() {
            RegionKind::Provinsi => "daerah-provinsi",
            RegionKind::Kota => "daerah-kota",
            RegionKind::Kabupaten => "daerah-kabupaten",
            // A village or kecamatan office runs the program for its own area.
            _ => "daerah-kabupaten",
        }
    }

    /// The landing page of a dataset.
    pub fn dataset_page(&self, slug: &str) -> String {
        self.url(&format!("/dataset/{slug}"))
    }

    /// The download of one table in one format (latest version).
    pub fn download_url(&self, slug: &str, resource: &str, format: DownloadFormat) -> String {
        self.url(&format!(
            "/dataset/{slug}/{resource}.{}",
            format.extension()
        ))
    }

    /// The Table Schema of one table.
    pub fn schema_url(&self, slug: &str, resource: &str) -> String {
        self.url(&format!("/dataset/{slug}/{resource}.schema.json"))
    }

    /// The page (or API document) of an organisation.
    pub fn organization_url(&self, slug: &str) -> String {
        self.url(&format!("/api/v1/organizations/{slug}"))
    }

    /// The IRI of a topic (a concept of the portal's theme taxonomy).
    pub fn topic_url(&self, slug: &str) -> String {
        self.url(&format!("/api/v1/topics#{slug}"))
    }
}

/// A resource with its latest version (tables), as the mappings need them.
#[derive(Debug, Clone)]
pub struct ResourceEntry {
    pub resource: Resource,
    /// The newest version of a table resource (`None` for files and for tables without data yet).
    pub latest: Option<Version>,
}

impl ResourceEntry {
    /// Whether the resource is a table with at least one version (so it can be downloaded).
    pub fn has_rows(&self) -> bool {
        matches!(self.resource.kind, ResourceKind::Table { .. }) && self.latest.is_some()
    }

    /// When the data last changed: the newest version, else the resource record.
    pub fn last_modified(&self) -> chrono::DateTime<chrono::Utc> {
        self.latest
            .as_ref()
            .map(|v| v.created_at)
            .unwrap_or(self.resource.updated_at)
    }
}

/// One dataset with everything the mappings show about it.
#[derive(Debug, Clone, Copy)]
pub struct Package<'a> {
    pub dataset: &'a Dataset,
    /// The producing organisation.
    pub organization: &'a Organization,
    /// The live resources, in order.
    pub resources: &'a [ResourceEntry],
    /// The dataset's topics, resolved (unknown slugs are left out).
    pub topics: &'a [Topic],
    /// Whether the reader may download the data (*terbuka*, or a principal allowed to read it):
    /// without it the mappings link to the landing page only.
    pub data_readable: bool,
}

impl Package<'_> {
    /// When the dataset (metadata or data) last changed.
    pub fn modified(&self) -> chrono::DateTime<chrono::Utc> {
        self.resources
            .iter()
            .map(ResourceEntry::last_modified)
            .chain([self.dataset.updated_at])
            .max()
            .unwrap_or(self.dataset.updated_at)
    }

    /// The highest version number over the dataset's tables.
    pub fn version(&self) -> Option<i32> {
        self.resources
            .iter()
            .filter_map(|r| r.latest.as_ref().map(|v| v.number))
            .max()
    }
}

/// The formats every table can be downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DownloadFormat {
    Csv,
    Xlsx,
    Json,
}

impl DownloadFormat {
    /// Every format, in the order they are offered.
    pub const ALL: [DownloadFormat; 3] = [
        DownloadFormat::Csv,
        DownloadFormat::Xlsx,
        DownloadFormat::Json,
    ];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            DownloadFormat::Csv => "csv",
            DownloadFormat::Xlsx => "xlsx",
            DownloadFormat::Json => "json",
        }
    }

    /// The format by file extension.
    pub fn from_extension(ext: &str) -> Option<DownloadFormat> {
        DownloadFormat::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(ext))
    }

    /// The CKAN `format` label (upper case).
    pub fn label(self) -> &'static str {
        match self {
            DownloadFormat::Csv => "CSV",
            DownloadFormat::Xlsx => "XLSX",
            DownloadFormat::Json => "JSON",
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            DownloadFormat::Csv => "text/csv",
            DownloadFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            DownloadFormat::Json => "application/json",
        }
    }

    /// The EU file-type authority code (for DCAT `dct:format`).
    pub fn eu_file_type(self) -> &'static str {
        match self {
            DownloadFormat::Csv => "CSV",
            DownloadFormat::Xlsx => "XLSX",
            DownloadFormat::Json => "JSON",
        }
    }
}
