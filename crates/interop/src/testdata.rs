//! A small dataset for the unit tests of every mapping.

use chrono::{TimeZone, Utc};
use satudata_core::dataset::{Dataset, DatasetMeta, Resource, ResourceKind, Topic, Version};
use satudata_core::organization::{OrgKind, Organization, OrganizationMeta};
use satudata_core::region::{Level, RegionCode};
use satudata_core::schema::{Field, FieldType, TableSchema};

use crate::site::{Package, ResourceEntry, Site};

pub fn site() -> Site {
    Site::new(
        "https://data.example.go.id/",
        "Satu Data Kabupaten Musi Banyuasin",
        &RegionCode::parse("16.06").unwrap(),
    )
}

pub struct Fixture {
    pub dataset: Dataset,
    pub org: Organization,
    pub resources: Vec<ResourceEntry>,
    pub topics: Vec<Topic>,
}

impl Fixture {
    pub fn package(&self) -> Package<'_> {
        Package {
            dataset: &self.dataset,
            organization: &self.org,
            resources: &self.resources,
            topics: &self.topics,
            data_readable: true,
        }
    }
}

pub fn schema() -> TableSchema {
    let mut kode = Field::new("kode_kecamatan", FieldType::String);
    kode.region_level = Some(Level::Kecamatan);
    kode.title = Some("Kode kecamatan".into());
    let mut tahun = Field::new("tahun", FieldType::Year);
    tahun.period = true;
    let mut jumlah = Field::new("jumlah", FieldType::Integer);
    jumlah.unit = Some("jiwa".into());
    jumlah.title = Some("Jumlah penduduk".into());
    let mut ya = Field::new("kota", FieldType::Boolean);
    ya.true_values = Some(vec!["Ya".into()]);
    ya.false_values = Some(vec!["Tidak".into()]);
    TableSchema::new(vec![kode, tahun, jumlah, ya])
}

pub fn fixture() -> Fixture {
    let t0 = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let t1 = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
    let org = Organization {
        id: uuid::Uuid::from_u128(1),
        meta: OrganizationMeta {
            slug: "disdukcapil".into(),
            name: "Dinas Kependudukan dan Pencatatan Sipil".into(),
            acronym: Some("Disdukcapil".into()),
            kind: OrgKind::Opd,
            description: "Urusan kependudukan.".into(),
            region_code: Some("16.06".into()),
            parent_id: None,
            email: Some("disdukcapil@example.go.id".into()),
            phone: None,
            address: None,
            website: None,
        },
        created_at: t0,
        updated_at: t0,
        seq: 1,
    };
    let mut meta = DatasetMeta::new("Jumlah Penduduk per Kecamatan", "jumlah-penduduk", org.id);
    meta.description = "Jumlah penduduk menurut kecamatan & tahun <hasil registrasi>.".into();
    meta.tags = vec!["penduduk".into(), "demografi".into()];
    meta.topics = vec!["kependudukan".into()];
    meta.satuan = Some("jiwa".into());
    meta.ukuran = Some("jumlah".into());
    meta.temporal_start = Some(2019);
    meta.temporal_end = Some(2024);
    meta.author = Some("Disdukcapil".into());
    meta.author_email = Some("disdukcapil@example.go.id".into());
    meta.maintainer = Some("Diskominfo".into());
    meta.maintainer_email = Some("walidata@example.go.id".into());
    meta.id_dds = Some("DD-2024-001".into());
    meta.prioritas_tahun = Some(2024);
    meta.source = Some("Registrasi penduduk".into());
    let dataset = Dataset {
        id: uuid::Uuid::from_u128(2),
        meta,
        created_at: t0,
        updated_at: t0,
        seq: 2,
    };
    let resource = Resource {
        id: uuid::Uuid::from_u128(3),
        dataset_id: dataset.id,
        name: "tabel".into(),
        title: "Tabel penduduk".into(),
        description: String::new(),
        kind: ResourceKind::Table { schema: schema() },
        created_at: t0,
        updated_at: t0,
        seq: 3,
    };
    let version = Version {
        id: uuid::Uuid::from_u128(4),
        resource_id: resource.id,
        number: 2,
        created_by: None,
        created_at: t1,
        row_count: 30,
        rows_added: 15,
        rows_removed: 0,
        checksum: "abc".into(),
        summary: String::new(),
        seq: 4,
    };
    Fixture {
        dataset,
        org,
        resources: vec![ResourceEntry {
            resource,
            latest: Some(version),
        }],
        topics: vec![Topic {
            slug: "kependudukan".into(),
            name: "Kependudukan".into(),
            name_en: Some("Population".into()),
            description: String::new(),
        }],
    }
}
