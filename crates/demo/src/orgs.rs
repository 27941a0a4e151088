//! The demo's organisations (walidata, pembina, OPDs), topics and users.

use satudata_core::dataset::Topic;
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::user::Role;

/// Slug of the walidata (Diskominfo); its presence marks a seeded demo.
pub const WALIDATA_SLUG: &str = "diskominfo";
/// Slug of the pembina (BPS).
pub const PEMBINA_SLUG: &str = "bps";

/// Contacts use the reserved `.example` domain: the demo must never send mail to a real office.
const DOMAIN: &str = "musibanyuasin.example";

/// (slug, name, acronym, kind, what it does, phone extension)
type OrgRow = (
    &'static str,
    &'static str,
    &'static str,
    OrgKind,
    &'static str,
    u16,
);

const ORGS: &[OrgRow] = &[
    (WALIDATA_SLUG, "Dinas Komunikasi dan Informatika", "Diskominfo", OrgKind::Walidata,
     "Walidata Satu Data: memeriksa data dari produsen data, mengembalikan untuk perbaikan atau menerbitkannya di Portal Satu Data.", 101),
    (PEMBINA_SLUG, "Badan Pusat Statistik", "BPS", OrgKind::Pembina,
     "Pembina data statistik: menetapkan standar data dan struktur metadata statistik sektoral, serta membina produsen data.", 102),
    ("dinkes", "Dinas Kesehatan", "Dinkes", OrgKind::Opd,
     "Urusan kesehatan: puskesmas, imunisasi, gizi, pengendalian penyakit, tenaga kesehatan.", 111),
    ("disdik", "Dinas Pendidikan", "Disdik", OrgKind::Opd,
     "Urusan pendidikan anak usia dini, sekolah dasar dan sekolah menengah pertama.", 112),
    ("dinsos", "Dinas Sosial", "Dinsos", OrgKind::Opd,
     "Perlindungan dan jaminan sosial: DTKS, PKH, bantuan pangan, rehabilitasi sosial.", 113),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", OrgKind::Opd,
     "Pendaftaran penduduk dan pencatatan sipil: KK, KTP-el, akta kelahiran, data kependudukan (SIAK).", 114),
    ("distan", "Dinas Pertanian", "Distan", OrgKind::Opd,
     "Tanaman pangan, hortikultura dan peternakan.", 115),
    ("disbun", "Dinas Perkebunan", "Disbun", OrgKind::Opd,
     "Perkebunan rakyat: kelapa sawit, karet, kelapa, dan peremajaan kebun.", 116),
    ("diskan", "Dinas Perikanan", "Diskan", OrgKind::Opd,
     "Perikanan budidaya dan perikanan tangkap perairan umum.", 117),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda", OrgKind::Opd,
     "Perencanaan pembangunan daerah, penanggulangan kemiskinan, pengendalian dan evaluasi.", 118),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas PMD", OrgKind::Opd,
     "Pemerintahan desa, Dana Desa, Indeks Desa Membangun, pemberdayaan masyarakat.", 119),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", OrgKind::Opd,
     "Jalan dan jembatan kabupaten, sumber daya air, air minum, penataan ruang, perumahan.", 120),
    ("dlh", "Dinas Lingkungan Hidup", "DLH", OrgKind::Opd,
     "Pengelolaan sampah, pengendalian pencemaran dan kerusakan lingkungan.", 121),
    ("diskopukm", "Dinas Koperasi dan Usaha Kecil Menengah", "Diskop UKM", OrgKind::Opd,
     "Pembinaan koperasi dan usaha mikro, kecil dan menengah.", 122),
    ("dishub", "Dinas Perhubungan", "Dishub", OrgKind::Opd,
     "Lalu lintas dan angkutan jalan, angkutan sungai, terminal dan dermaga.", 123),
    ("dispar", "Dinas Pariwisata", "Dispar", OrgKind::Opd,
     "Destinasi, promosi dan industri pariwisata.", 124),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", OrgKind::Opd,
     "Pencegahan, kedaruratan, dan rehabilitasi bencana: banjir, kebakaran hutan dan lahan, angin puting beliung.", 125),
    ("disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans", OrgKind::Opd,
     "Penempatan dan pelatihan tenaga kerja, hubungan industrial, transmigrasi.", 126),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", OrgKind::Opd,
     "Pemberdayaan perempuan, perlindungan perempuan dan anak dari kekerasan.", 127),
];

/// The organisations of the demo for a regency called `kab` (e.g. "Kabupaten Musi Banyuasin").
pub(crate) fn organizations(kab: &str, home_code: &str) -> Vec<OrganizationMeta> {
    ORGS.iter()
        .map(|&(slug, name, acronym, kind, what, ext)| {
            let full = format!("{name} {kab}");
            OrganizationMeta {
                slug: slug.to_string(),
                name: full.clone(),
                acronym: Some(acronym.to_string()),
                kind,
                description: format!("{what} Organisasi demo (sintetis) untuk {kab}."),
                region_code: Some(home_code.to_string()),
                parent_id: None,
                email: Some(format!("{slug}@{DOMAIN}")),
                phone: Some(format!("(0714) 555-0{ext}")),
                address: Some(if home_code == "16.06" {
                    format!(
                        "Kompleks Perkantoran Pemkab, Jl. Kolonel Wahid Udin No. {}, Sekayu",
                        ext - 100
                    )
                } else {
                    format!("Kompleks Perkantoran Pemerintah {kab}, No. {}", ext - 100)
                }),
                website: Some(format!("https://{slug}.{DOMAIN}")),
            }
        })
        .collect()
}

/// The number of OPDs (organisations of kind `Opd`) in the demo.
pub(crate) fn opd_count() -> usize {
    ORGS.iter().filter(|o| o.3 == OrgKind::Opd).count()
}

/// The acronym and e-mail of an organisation of the demo, for dataset contacts.
pub(crate) fn contact(slug: &str) -> Option<(&'static str, String)> {
    ORGS.iter()
        .find(|o| o.0 == slug)
        .map(|o| (o.2, format!("{slug}@{DOMAIN}")))
}

/// Topics (kategori / sektor).
pub(crate) fn topics() -> Vec<Topic> {
    [
        (
            "kependudukan",
            "Kependudukan",
            "Population",
            "Jumlah, sebaran dan dokumen kependudukan.",
        ),
        (
            "kesehatan",
            "Kesehatan",
            "Health",
            "Fasilitas, tenaga, dan layanan kesehatan; gizi dan penyakit.",
        ),
        (
            "pendidikan",
            "Pendidikan",
            "Education",
            "Sekolah, murid, guru, dan partisipasi sekolah.",
        ),
        (
            "sosial",
            "Sosial",
            "Social protection",
            "Kesejahteraan sosial, bantuan sosial, dan perlindungan.",
        ),
        (
            "kemiskinan",
            "Kemiskinan",
            "Poverty",
            "Penduduk miskin dan sasaran penanggulangan kemiskinan.",
        ),
        (
            "pertanian",
            "Pertanian",
            "Agriculture",
            "Tanaman pangan, perkebunan, peternakan, dan perikanan.",
        ),
        (
            "ekonomi",
            "Ekonomi",
            "Economy",
            "Koperasi, UMKM, pariwisata, dan ketenagakerjaan.",
        ),
        (
            "infrastruktur",
            "Infrastruktur",
            "Infrastructure",
            "Jalan, air minum, perumahan, dan perhubungan.",
        ),
        (
            "lingkungan-hidup",
            "Lingkungan Hidup",
            "Environment",
            "Sampah, kualitas lingkungan, dan titik panas.",
        ),
        (
            "pemerintahan",
            "Pemerintahan",
            "Government",
            "Pemerintahan desa, keuangan desa, dan layanan digital.",
        ),
        (
            "kebencanaan",
            "Kebencanaan",
            "Disasters",
            "Kejadian dan dampak bencana.",
        ),
        (
            "gender-dan-anak",
            "Gender dan Anak",
            "Gender and children",
            "Perempuan dan perlindungan anak.",
        ),
    ]
    .into_iter()
    .map(|(slug, name, en, description)| Topic {
        slug: slug.to_string(),
        name: name.to_string(),
        name_en: Some(en.to_string()),
        description: description.to_string(),
    })
    .collect()
}

/// A demo login, printed by `satudata demo` so that anyone can try each role.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoUser {
    /// Login name (`admin`, `walidata`, `pembina`, `produsen`, `desa`).
    pub username: String,
    /// The demo password (public by design: this is demo data).
    pub password: String,
    /// The role the user holds.
    pub role: Role,
    /// Slug of the organisation where the user holds the role.
    pub organization: String,
    /// Name shown in the interface.
    pub display_name: String,
}

/// One user per role. `desa_org` is the slug of the desa whose operator the `desa` user is, and
/// `desa_name` its name ("Desa Sukarami").
pub(crate) fn users(desa_org: &str, desa_name: &str) -> Vec<DemoUser> {
    let desa_operator = format!("Operator {desa_name}");
    [
        (
            "admin",
            "demo-admin-2026",
            Role::Admin,
            WALIDATA_SLUG,
            "Administrator Sistem",
        ),
        (
            "walidata",
            "demo-walidata-2026",
            Role::Walidata,
            WALIDATA_SLUG,
            "Rina Walidata (Diskominfo)",
        ),
        (
            "pembina",
            "demo-pembina-2026",
            Role::Pembina,
            PEMBINA_SLUG,
            "Budi Pembina (BPS)",
        ),
        (
            "produsen",
            "demo-produsen-2026",
            Role::Produsen,
            "dinkes",
            "Sari Operator Dinkes",
        ),
        (
            "desa",
            "demo-desa-2026",
            Role::Produsen,
            desa_org,
            desa_operator.as_str(),
        ),
    ]
    .into_iter()
    .map(|(username, password, role, org, name)| DemoUser {
        username: username.to_string(),
        password: password.to_string(),
        role,
        organization: org.to_string(),
        display_name: name.to_string(),
    })
    .collect()
}
