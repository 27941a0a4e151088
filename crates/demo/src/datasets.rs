//! The demo datasets: what each one is (national SDI metadata) and how its synthetic values are
//! made. Magnitudes follow a regency of about 630,000 people; trends follow what such series
//! usually show (COVID-19 dips in 2020–2021, the 2019 and 2023 dry-season fires, falling stunting
//! and poverty). None of it is official data, and every description says so.

use satudata_core::dataset::{Access, DataKind, Periodicity};
use satudata_core::region::Level::{Desa as D, Kecamatan as K};
use satudata_core::value::Value;

use crate::spec::{category, count, flag, int, num, number, pct, Spec};

const SEX: &[&str] = &["Laki-laki", "Perempuan"];
const JENJANG_SD_SMP: &[&str] = &["SD", "SMP"];
const JENJANG_TK_SD_SMP: &[&str] = &["TK", "SD", "SMP"];
const FASKES: &[&str] = &[
    "Puskesmas",
    "Puskesmas Pembantu",
    "Poskesdes",
    "Posyandu",
    "Klinik Pratama",
    "Apotek",
];
const NAKES: &[&str] = &[
    "Dokter Umum",
    "Dokter Gigi",
    "Perawat",
    "Bidan",
    "Tenaga Gizi",
    "Tenaga Kesehatan Masyarakat",
];
const KORBAN: &[&str] = &["Perempuan Dewasa", "Anak Perempuan", "Anak Laki-laki"];
const KOMODITAS: &[&str] = &["Kelapa Sawit", "Karet", "Kelapa"];
const TERNAK: &[&str] = &["Sapi Potong", "Kerbau", "Kambing", "Ayam Kampung", "Itik"];
const BUDIDAYA: &[&str] = &["Kolam", "Keramba"];
const SKALA: &[&str] = &["Mikro", "Kecil", "Menengah"];
const KONDISI: &[&str] = &["Baik", "Sedang", "Rusak Ringan", "Rusak Berat"];
const BENCANA: &[&str] = &[
    "Banjir",
    "Kebakaran Hutan dan Lahan",
    "Angin Puting Beliung",
    "Tanah Longsor",
    "Kebakaran Permukiman",
];
const ASAL_WISATAWAN: &[&str] = &["Nusantara", "Mancanegara"];
const STATUS_IDM: &[&str] = &[
    "Sangat Tertinggal",
    "Tertinggal",
    "Berkembang",
    "Maju",
    "Mandiri",
];
const SINYAL: &[&str] = &["4G", "3G", "2G", "Tidak Ada"];

/// Every demo dataset, in the order they are created.
pub(crate) fn specs() -> Vec<Spec> {
    let mut v = vec![];
    v.extend(kependudukan());
    v.extend(kesehatan());
    v.extend(pendidikan());
    v.extend(sosial());
    v.extend(pertanian());
    v.extend(ekonomi());
    v.extend(desa());
    v.extend(infrastruktur());
    v.extend(lingkungan());
    v
}

fn kependudukan() -> Vec<Spec> {
    vec![
        Spec::new("jumlah-penduduk-menurut-jenis-kelamin", "Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin", "disdukcapil", K, |c, r| {
            let share = [0.5115, 0.4885][c.cat];
            vec![int(c.pop() * share * r.jitter(0.003))]
        })
        .topics(&["kependudukan"])
        .tags(&["penduduk", "jenis kelamin", "administrasi kependudukan", "SIAK"])
        .definisi("Jumlah penduduk yang terdaftar dalam database kependudukan (SIAK) menurut kecamatan tempat tinggal dan jenis kelamin, posisi akhir semester II (31 Desember).")
        .konsep("Penduduk adalah WNI dan orang asing yang bertempat tinggal di Indonesia dan terdaftar dalam administrasi kependudukan.")
        .satuan("jiwa", "jumlah")
        .klasifikasi("jenis kelamin")
        .periodicity(Periodicity::Semesteran)
        .source("Dinas Kependudukan dan Pencatatan Sipil, Data Konsolidasi Bersih SIAK")
        .by("jenis_kelamin", "Jenis Kelamin", SEX)
        .measures(vec![count("jumlah_penduduk", "Jumlah Penduduk", "jiwa")])
        .versions(2)
        .prioritas()
        .sds("SDS-KEPENDUDUKAN-001"),
        Spec::new("jumlah-penduduk-desa", "Jumlah Penduduk menurut Desa/Kelurahan", "disdukcapil", D, |c, r| {
            let l = (c.pop() * 0.511 * r.jitter(0.012)).round();
            let p = (c.pop() * 0.489 * r.jitter(0.012)).round();
            vec![int(l), int(p), int(l + p)]
        })
        .topics(&["kependudukan"])
        .tags(&["penduduk", "desa", "kelurahan", "SIAK"])
        .definisi("Jumlah penduduk terdaftar menurut desa/kelurahan dan jenis kelamin, posisi akhir semester II.")
        .konsep("Penduduk terdaftar dihitung dari Kartu Keluarga aktif dengan alamat di desa/kelurahan tersebut.")
        .satuan("jiwa", "jumlah")
        .klasifikasi("jenis kelamin")
        .periodicity(Periodicity::Semesteran)
        .source("Dinas Kependudukan dan Pencatatan Sipil, Data Konsolidasi Bersih SIAK")
        .measures(vec![
            count("laki_laki", "Laki-laki", "jiwa"),
            count("perempuan", "Perempuan", "jiwa"),
            count("jumlah", "Jumlah", "jiwa"),
        ])
        .versions(2),
        Spec::new("jumlah-kepala-keluarga", "Jumlah Kepala Keluarga dan Rata-rata Anggota Keluarga", "disdukcapil", K, |c, r| {
            let pop = (c.pop() * r.jitter(0.004)).round();
            let kk = (pop / (3.78 - 0.35 * c.area.urban - 0.025 * c.t()) * r.jitter(0.01)).round();
            vec![int(kk), int(pop), num(pop / kk, 2)]
        })
        .topics(&["kependudukan"])
        .tags(&["kartu keluarga", "keluarga", "rumah tangga"])
        .definisi("Jumlah Kartu Keluarga (kepala keluarga) terdaftar, jumlah anggotanya, dan rata-rata anggota per keluarga menurut kecamatan.")
        .konsep("Keluarga adalah unit terkecil masyarakat yang tercatat dalam satu Kartu Keluarga.")
        .satuan("keluarga", "jumlah")
        .source("Dinas Kependudukan dan Pencatatan Sipil, SIAK")
        .measures(vec![
            count("jumlah_kk", "Jumlah Kepala Keluarga", "keluarga"),
            count("jumlah_penduduk", "Jumlah Penduduk", "jiwa"),
            number("rata_rata_anggota", "Rata-rata Anggota Keluarga", "jiwa per keluarga"),
        ]),
        Spec::new("kepemilikan-ktp-elektronik", "Perekaman KTP Elektronik menurut Kecamatan", "disdukcapil", K, |c, r| {
            let wajib = (c.pop() * (0.705 + 0.003 * c.t()) * r.jitter(0.01)).round();
            let rate = (0.915 + 0.012 * c.t() + r.range(-0.01, 0.01)).min(0.996);
            let rekam = (wajib * rate).round();
            vec![int(wajib), int(rekam), pct(rekam, wajib)]
        })
        .topics(&["kependudukan"])
        .tags(&["KTP-el", "wajib KTP", "perekaman"])
        .definisi("Jumlah penduduk wajib KTP (berumur 17 tahun ke atas atau pernah kawin) dan yang sudah merekam KTP elektronik.")
        .konsep("Persentase perekaman = penduduk yang sudah merekam KTP-el dibagi penduduk wajib KTP, dikali 100.")
        .satuan("jiwa", "jumlah dan persentase")
        .periodicity(Periodicity::Semesteran)
        .source("Dinas Kependudukan dan Pencatatan Sipil, SIAK")
        .measures(vec![
            count("wajib_ktp", "Penduduk Wajib KTP", "jiwa"),
            count("sudah_rekam", "Sudah Merekam KTP-el", "jiwa"),
            number("persentase_rekam", "Persentase Perekaman", "persen"),
        ]),
        Spec::new("kepemilikan-akta-kelahiran-anak", "Kepemilikan Akta Kelahiran Anak Usia 0–17 Tahun", "disdukcapil", K, |c, r| {
            let anak = (c.pop() * (0.335 - 0.002 * c.t()) * r.jitter(0.01)).round();
            let rate = (0.82 + 0.028 * c.t() + 0.04 * c.area.urban + r.range(-0.01, 0.01)).min(0.99);
            let punya = (anak * rate).round();
            vec![int(anak), int(punya), pct(punya, anak)]
        })
        .topics(&["kependudukan", "gender-dan-anak"])
        .tags(&["akta kelahiran", "anak", "pencatatan sipil", "SDGs 16.9"])
        .definisi("Jumlah anak usia 0–17 tahun dan yang telah memiliki akta kelahiran, menurut kecamatan.")
        .konsep("Cakupan akta kelahiran anak mengukur pemenuhan hak identitas anak (SDGs 16.9.1).")
        .satuan("jiwa", "jumlah dan persentase")
        .source("Dinas Kependudukan dan Pencatatan Sipil, SIAK")
        .measures(vec![
            count("jumlah_anak", "Anak Usia 0–17 Tahun", "jiwa"),
            count("memiliki_akta", "Memiliki Akta Kelahiran", "jiwa"),
            number("persentase", "Persentase Kepemilikan", "persen"),
        ]),
        Spec::new("luas-wilayah-dan-kepadatan-penduduk", "Luas Wilayah dan Kepadatan Penduduk menurut Kecamatan", "bappeda", K, |c, r| {
            let pop = (c.pop() * r.jitter(0.004)).round();
            vec![num(c.area.area_km2, 2), int(pop), num(pop / c.area.area_km2, 2)]
        })
        .topics(&["kependudukan", "pemerintahan"])
        .tags(&["luas wilayah", "kepadatan", "penduduk"])
        .definisi("Luas daratan (km²), jumlah penduduk, dan kepadatan penduduk (jiwa per km²) menurut kecamatan.")
        .konsep("Kepadatan penduduk = jumlah penduduk dibagi luas wilayah. Luas dihitung dari batas wilayah administrasi.")
        .satuan("jiwa/km²", "rasio")
        .source("Bappeda, diolah dari data SIAK dan peta batas wilayah")
        .measures(vec![
            number("luas_wilayah", "Luas Wilayah", "km²"),
            count("jumlah_penduduk", "Jumlah Penduduk", "jiwa"),
            number("kepadatan", "Kepadatan Penduduk", "jiwa/km²"),
        ]),
    ]
}

fn kesehatan() -> Vec<Spec> {
    vec![
        Spec::new("jumlah-fasilitas-kesehatan", "Jumlah Fasilitas Pelayanan Kesehatan menurut Jenis", "dinkes", K, |c, _| {
            let pop = c.pop();
            let s = c.stable(FASKES[c.cat]);
            let t = c.t();
            let u = c.area.urban;
            let n = match c.cat {
                0 => 1.0 + f64::from(pop > 45_000.0) + f64::from(c.area.area_km2 > 2_000.0),
                1 => (pop / 7_500.0 + c.area.area_km2 / 700.0 + s).floor(),
                2 => (pop / 4_800.0 + 0.35 * t + s).floor(),
                3 => (pop / 430.0 + 0.6 * t + 3.0 * s).floor(),
                4 => (u * 9.0 * (1.0 + 0.08 * t) + s).floor(),
                _ => (u * 14.0 + pop / 22_000.0 + 0.4 * t * (0.3 + u) + s).floor(),
            };
            vec![int(n)]
        })
        .topics(&["kesehatan"])
        .tags(&["puskesmas", "posyandu", "fasilitas kesehatan", "klinik"])
        .definisi("Jumlah fasilitas pelayanan kesehatan menurut jenis (puskesmas, puskesmas pembantu, poskesdes, posyandu, klinik pratama, apotek) dan kecamatan.")
        .konsep("Fasilitas pelayanan kesehatan adalah tempat penyelenggaraan upaya pelayanan kesehatan promotif, preventif, kuratif maupun rehabilitatif.")
        .satuan("unit", "jumlah")
        .klasifikasi("jenis fasilitas kesehatan")
        .source("Dinas Kesehatan, Profil Kesehatan")
        .by("jenis_fasilitas", "Jenis Fasilitas", FASKES)
        .measures(vec![count("jumlah", "Jumlah", "unit")]),
        Spec::new("jumlah-tenaga-kesehatan", "Jumlah Tenaga Kesehatan menurut Jenis", "dinkes", K, |c, r| {
            let per_10k = [1.5, 0.3, 9.0, 11.0, 0.8, 1.2][c.cat];
            let urban_10k = [2.2, 0.7, 6.0, 2.0, 0.4, 0.6][c.cat];
            let base = c.pop() / 10_000.0 * (per_10k + urban_10k * c.area.urban);
            vec![int(base * (1.0 + 0.035 * c.t()) * (0.85 + 0.3 * c.stable(NAKES[c.cat])) * r.jitter(0.02))]
        })
        .topics(&["kesehatan"])
        .tags(&["tenaga kesehatan", "dokter", "bidan", "perawat"])
        .definisi("Jumlah tenaga kesehatan yang bertugas di fasilitas kesehatan pemerintah dan swasta menurut jenis tenaga dan kecamatan.")
        .konsep("Tenaga kesehatan adalah setiap orang yang mengabdikan diri di bidang kesehatan dan memiliki pendidikan di bidang kesehatan.")
        .satuan("orang", "jumlah")
        .klasifikasi("jenis tenaga kesehatan")
        .source("Dinas Kesehatan, SISDMK")
        .by("jenis_tenaga", "Jenis Tenaga Kesehatan", NAKES)
        .measures(vec![count("jumlah", "Jumlah", "orang")]),
        Spec::new("cakupan-imunisasi-dasar-lengkap", "Cakupan Imunisasi Dasar Lengkap pada Bayi", "dinkes", K, |c, r| {
            let sasaran = (c.pop() * 0.0195 * r.jitter(0.03)).round();
            let cov = (c.yearly([0.925, 0.872, 0.846, 0.903, 0.938, 0.951]) + 0.06 * (c.stable("idl") - 0.5) + r.range(-0.01, 0.01)).clamp(0.7, 0.995);
            let idl = (sasaran * cov).round();
            vec![int(sasaran), int(idl), pct(idl, sasaran)]
        })
        .topics(&["kesehatan", "gender-dan-anak"])
        .tags(&["imunisasi", "bayi", "IDL", "SPM kesehatan"])
        .definisi("Jumlah bayi sasaran dan bayi usia 0–11 bulan yang mendapat imunisasi dasar lengkap, menurut kecamatan.")
        .konsep("Imunisasi dasar lengkap: satu dosis HB0, BCG dan campak-rubela, tiga dosis DPT-HB-Hib, empat dosis polio.")
        .satuan("bayi", "jumlah dan persentase")
        .source("Dinas Kesehatan, laporan imunisasi puskesmas")
        .measures(vec![
            count("sasaran_bayi", "Sasaran Bayi", "bayi"),
            count("bayi_idl", "Bayi Imunisasi Dasar Lengkap", "bayi"),
            number("persentase_idl", "Cakupan IDL", "persen"),
        ])
        .versions(2)
        .prioritas(),
        Spec::new("prevalensi-balita-stunting", "Prevalensi Balita Stunting menurut Kecamatan", "dinkes", K, |c, r| {
            let diukur = (c.pop() * 0.088 * (0.78 + 0.03 * c.t()).min(0.97) * r.jitter(0.03)).round();
            let prev = c.yearly([0.245, 0.232, 0.221, 0.198, 0.171, 0.152]) * (0.75 + 0.5 * c.stable("stunting")) * r.jitter(0.05);
            let stunting = (diukur * prev).round();
            vec![int(diukur), int(stunting), pct(stunting, diukur)]
        })
        .topics(&["kesehatan", "gender-dan-anak"])
        .tags(&["stunting", "gizi", "balita", "e-PPGBM", "SDGs 2.2"])
        .definisi("Jumlah balita yang diukur dan balita pendek/sangat pendek (tinggi badan menurut umur < −2 SD), menurut kecamatan, dari penimbangan serentak.")
        .konsep("Stunting adalah kondisi gagal tumbuh pada balita akibat kekurangan gizi kronis, diukur dengan z-skor TB/U menurut standar WHO.")
        .satuan("balita", "jumlah dan persentase")
        .source("Dinas Kesehatan, aplikasi e-PPGBM (bulan timbang Agustus)")
        .measures(vec![
            count("balita_diukur", "Balita Diukur", "balita"),
            count("balita_stunting", "Balita Stunting", "balita"),
            number("prevalensi", "Prevalensi Stunting", "persen"),
        ])
        .versions(3)
        .prioritas()
        .sds("SDS-KESEHATAN-014"),
        Spec::new("kasus-demam-berdarah-dengue", "Kasus Demam Berdarah Dengue (DBD)", "dinkes", K, |c, r| {
            let ir = 38.0 * (0.6 + 1.5 * c.area.urban) * c.yearly([1.35, 0.85, 0.45, 1.1, 0.7, 1.55]);
            let kasus = r.count(c.pop() / 1e5 * ir);
            let meninggal = r.count(kasus * 0.008);
            vec![int(kasus), int(meninggal), num(kasus / c.pop() * 1e5, 2)]
        })
        .topics(&["kesehatan"])
        .tags(&["DBD", "dengue", "penyakit menular", "incidence rate"])
        .definisi("Jumlah kasus dan kematian akibat demam berdarah dengue, serta angka kesakitan (incidence rate) per 100.000 penduduk, menurut kecamatan.")
        .konsep("Incidence rate DBD = kasus DBD dibagi jumlah penduduk, dikali 100.000.")
        .satuan("kasus", "jumlah dan rasio")
        .source("Dinas Kesehatan, surveilans penyakit")
        .measures(vec![
            count("kasus", "Kasus DBD", "kasus"),
            count("meninggal", "Meninggal", "jiwa"),
            number("incidence_rate", "Incidence Rate", "per 100.000 penduduk"),
        ]),
        Spec::new("persalinan-di-fasilitas-kesehatan", "Persalinan di Fasilitas Pelayanan Kesehatan", "dinkes", K, |c, r| {
            let ibu = (c.pop() * 0.0188 * r.jitter(0.03)).round();
            let rate = (0.80 + 0.028 * c.t() + 0.05 * c.area.urban + r.range(-0.015, 0.015)).min(0.99);
            let faskes = (ibu * rate).round();
            vec![int(ibu), int(faskes), pct(faskes, ibu)]
        })
        .topics(&["kesehatan", "gender-dan-anak"])
        .tags(&["persalinan", "ibu bersalin", "SPM kesehatan", "kesehatan ibu"])
        .definisi("Jumlah ibu bersalin dan yang bersalin di fasilitas pelayanan kesehatan ditolong tenaga kesehatan, menurut kecamatan.")
        .konsep("Persalinan di fasilitas kesehatan adalah salah satu indikator Standar Pelayanan Minimal bidang kesehatan.")
        .satuan("orang", "jumlah dan persentase")
        .source("Dinas Kesehatan, laporan KIA puskesmas")
        .measures(vec![
            count("ibu_bersalin", "Ibu Bersalin", "orang"),
            count("bersalin_di_faskes", "Bersalin di Fasilitas Kesehatan", "orang"),
            number("persentase", "Persentase", "persen"),
        ]),
        Spec::new("kasus-tuberkulosis", "Penemuan Kasus Tuberkulosis (TBC)", "dinkes", K, |c, r| {
            let terduga = (c.pop() * c.yearly([0.0062, 0.0041, 0.0047, 0.0078, 0.0092, 0.0098]) * r.jitter(0.08)).round();
            let kasus = (c.pop() * c.yearly([0.00155, 0.00112, 0.00121, 0.00178, 0.00205, 0.00214]) * r.jitter(0.12)).round();
            vec![int(terduga), int(kasus), num(kasus / c.pop() * 1e5, 2)]
        })
        .topics(&["kesehatan"])
        .tags(&["tuberkulosis", "TBC", "penyakit menular", "CNR"])
        .definisi("Jumlah terduga TBC yang diperiksa, kasus TBC yang ditemukan dan diobati, dan case notification rate per 100.000 penduduk, menurut kecamatan.")
        .konsep("Case notification rate (CNR) = kasus TBC yang ditemukan dan dilaporkan dibagi jumlah penduduk, dikali 100.000.")
        .satuan("kasus", "jumlah dan rasio")
        .access(Access::Terbatas)
        .source("Dinas Kesehatan, Sistem Informasi Tuberkulosis (SITB)")
        .measures(vec![
            count("terduga_tbc", "Terduga TBC Diperiksa", "orang"),
            count("kasus_tbc", "Kasus TBC Ditemukan", "kasus"),
            number("case_notification_rate", "Case Notification Rate", "per 100.000 penduduk"),
        ]),
    ]
}

/// Pupils of a kecamatan by level, before noise (shared by the pupil, teacher and drop-out tables).
fn murid(c: &crate::spec::Ctx, sd: bool) -> f64 {
    if sd {
        c.pop() * 0.124 * (1.0 - 0.004 * c.t())
    } else {
        c.pop() * 0.053 * (1.0 + 0.006 * c.t())
    }
}

fn pendidikan() -> Vec<Spec> {
    vec![
        Spec::new("jumlah-sekolah-menurut-jenjang", "Jumlah Sekolah menurut Jenjang dan Status", "disdik", K, |c, _| {
            let (per, negeri_share) = [(2_600.0, 0.1), (1_250.0, 0.92), (5_200.0, 0.7)][c.cat];
            let s = c.stable(JENJANG_TK_SD_SMP[c.cat]);
            let total = (c.pop2019_base() / per * (0.9 + 0.2 * s)).round().max(1.0);
            let negeri = (total * negeri_share).round();
            let swasta = (total - negeri + (0.25 * c.t() * (0.3 + s)).floor()).max(0.0);
            vec![int(negeri), int(swasta), int(negeri + swasta)]
        })
        .topics(&["pendidikan"])
        .tags(&["sekolah", "TK", "SD", "SMP", "Dapodik"])
        .definisi("Jumlah satuan pendidikan TK, SD dan SMP negeri dan swasta menurut kecamatan.")
        .konsep("Satuan pendidikan adalah kelompok layanan pendidikan yang menyelenggarakan pendidikan formal dan terdaftar di Dapodik.")
        .satuan("unit", "jumlah")
        .klasifikasi("jenjang pendidikan, status sekolah")
        .source("Dinas Pendidikan, Dapodik (semester ganjil)")
        .by("jenjang", "Jenjang", JENJANG_TK_SD_SMP)
        .measures(vec![
            count("negeri", "Negeri", "unit"),
            count("swasta", "Swasta", "unit"),
            count("jumlah", "Jumlah", "unit"),
        ]),
        Spec::new("jumlah-murid-menurut-jenjang", "Jumlah Murid menurut Jenjang dan Jenis Kelamin", "disdik", K, |c, r| {
            let m = murid(c, c.cat == 0) * r.jitter(0.012);
            let l = (m * 0.513).round();
            let p = (m * 0.487).round();
            vec![int(l), int(p), int(l + p)]
        })
        .topics(&["pendidikan"])
        .tags(&["murid", "peserta didik", "SD", "SMP", "Dapodik"])
        .definisi("Jumlah peserta didik SD dan SMP menurut jenis kelamin dan kecamatan letak sekolah.")
        .konsep("Peserta didik adalah anak yang terdaftar dan aktif belajar pada satuan pendidikan pada tahun ajaran berjalan.")
        .satuan("orang", "jumlah")
        .klasifikasi("jenjang pendidikan, jenis kelamin")
        .source("Dinas Pendidikan, Dapodik (semester ganjil)")
        .by("jenjang", "Jenjang", JENJANG_SD_SMP)
        .measures(vec![
            count("laki_laki", "Laki-laki", "orang"),
            count("perempuan", "Perempuan", "orang"),
            count("jumlah", "Jumlah", "orang"),
        ])
        .versions(2),
        Spec::new("jumlah-guru-menurut-status", "Jumlah Guru menurut Jenjang dan Status Kepegawaian", "disdik", K, |c, r| {
            let guru = murid(c, c.cat == 0) / [16.0, 15.0][c.cat] * r.jitter(0.03);
            let pns = guru * (0.62 - 0.028 * c.t());
            let pppk = guru * c.yearly([0.0, 0.0, 0.06, 0.12, 0.18, 0.22]);
            let honorer = (guru - pns - pppk).max(0.0);
            vec![int(pns), int(pppk), int(honorer), int(pns.round() + pppk.round() + honorer.round())]
        })
        .topics(&["pendidikan"])
        .tags(&["guru", "PNS", "PPPK", "honorer"])
        .definisi("Jumlah guru SD dan SMP menurut status kepegawaian (PNS, PPPK, honorer) dan kecamatan.")
        .konsep("Guru adalah pendidik profesional yang mengajar pada satuan pendidikan dan tercatat di Dapodik.")
        .satuan("orang", "jumlah")
        .klasifikasi("jenjang pendidikan, status kepegawaian")
        .source("Dinas Pendidikan, Dapodik")
        .by("jenjang", "Jenjang", JENJANG_SD_SMP)
        .measures(vec![
            count("guru_pns", "Guru PNS", "orang"),
            count("guru_pppk", "Guru PPPK", "orang"),
            count("guru_honorer", "Guru Honorer", "orang"),
            count("jumlah", "Jumlah", "orang"),
        ]),
        Spec::new("angka-partisipasi-murni", "Angka Partisipasi Murni (APM) SD dan SMP", "disdik", K, |c, r| {
            let apm = if c.cat == 0 {
                96.8 + 0.25 * c.t() + r.range(-0.8, 0.8)
            } else {
                76.0 + 1.6 * c.t() + 6.0 * c.area.urban + r.range(-2.0, 2.0)
            };
            vec![num(apm.min(99.6), 2)]
        })
        .topics(&["pendidikan"])
        .tags(&["APM", "partisipasi sekolah", "SDGs 4.1"])
        .definisi("Angka Partisipasi Murni: persentase penduduk usia sekolah (7–12 tahun untuk SD, 13–15 tahun untuk SMP) yang bersekolah di jenjang yang sesuai.")
        .konsep("APM = murid usia sekolah pada jenjang yang sesuai dibagi penduduk kelompok usia tersebut, dikali 100.")
        .satuan("persen", "persentase")
        .klasifikasi("jenjang pendidikan")
        .source("Dinas Pendidikan, diolah dari Dapodik dan SIAK")
        .by("jenjang", "Jenjang", JENJANG_SD_SMP)
        .measures(vec![number("apm", "Angka Partisipasi Murni", "persen")])
        .sds("SDS-PENDIDIKAN-003"),
        Spec::new("angka-putus-sekolah", "Angka Putus Sekolah SD dan SMP", "disdik", K, |c, r| {
            let covid = c.yearly([0.0, 0.3, 0.25, 0.05, 0.0, 0.0]);
            let rate = if c.cat == 0 {
                0.35 - 0.03 * c.t() + covid * 0.5 + r.range(-0.1, 0.1)
            } else {
                1.4 - 0.1 * c.t() + covid + r.range(-0.3, 0.3)
            }
            .max(0.05);
            let m = murid(c, c.cat == 0);
            let putus = (m * rate / 100.0).round();
            vec![int(putus), pct(putus, m)]
        })
        .topics(&["pendidikan"])
        .tags(&["putus sekolah", "SD", "SMP"])
        .definisi("Jumlah murid yang berhenti sekolah sebelum lulus pada tahun ajaran berjalan dan angka putus sekolah, menurut jenjang dan kecamatan.")
        .konsep("Angka putus sekolah = murid putus sekolah dibagi jumlah murid, dikali 100.")
        .satuan("orang", "jumlah dan persentase")
        .klasifikasi("jenjang pendidikan")
        .source("Dinas Pendidikan, Dapodik")
        .by("jenjang", "Jenjang", JENJANG_SD_SMP)
        .measures(vec![
            count("jumlah_putus_sekolah", "Murid Putus Sekolah", "orang"),
            number("angka_putus_sekolah", "Angka Putus Sekolah", "persen"),
        ]),
    ]
}

fn sosial() -> Vec<Spec> {
    vec![
        Spec::new("penerima-program-keluarga-harapan", "Keluarga Penerima Manfaat Program Keluarga Harapan (PKH)", "dinsos", K, |c, r| {
            let families = c.pop() / 3.7;
            let share = c.yearly([0.150, 0.172, 0.176, 0.165, 0.158, 0.149]) * (1.25 - 0.6 * c.area.urban) * (0.9 + 0.2 * c.stable("pkh"));
            let kpm = (families * share * r.jitter(0.02)).round();
            let per_kpm = c.yearly([2.10, 2.55, 2.48, 2.40, 2.35, 2.30]);
            vec![int(kpm), num(kpm * per_kpm, 2)]
        })
        .topics(&["sosial", "kemiskinan"])
        .tags(&["PKH", "bantuan sosial", "KPM", "perlindungan sosial"])
        .definisi("Jumlah keluarga penerima manfaat (KPM) PKH dan nilai bantuan yang disalurkan dalam setahun, menurut kecamatan.")
        .konsep("PKH adalah bantuan sosial bersyarat bagi keluarga miskin dan rentan yang terdaftar dalam DTKS.")
        .satuan("keluarga", "jumlah")
        .source("Dinas Sosial, SIKS-NG")
        .measures(vec![
            count("jumlah_kpm", "Jumlah KPM", "keluarga"),
            number("nilai_bantuan", "Nilai Bantuan", "juta rupiah"),
        ])
        .prioritas(),
        Spec::new("penerima-bantuan-sembako", "Keluarga Penerima Manfaat Program Sembako (BPNT)", "dinsos", K, |c, r| {
            let families = c.pop() / 3.7;
            let share = c.yearly([0.21, 0.27, 0.28, 0.26, 0.25, 0.24]) * (1.2 - 0.5 * c.area.urban);
            let kpm = (families * share * r.jitter(0.02)).round();
            vec![int(kpm), num(kpm * c.yearly([1.32, 2.4, 2.4, 2.4, 2.4, 2.4]), 2)]
        })
        .topics(&["sosial", "kemiskinan"])
        .tags(&["BPNT", "sembako", "bantuan pangan"])
        .definisi("Jumlah keluarga penerima manfaat Program Sembako (Bantuan Pangan Non Tunai) dan nilai bantuan setahun, menurut kecamatan.")
        .konsep("Program Sembako menyalurkan bantuan pangan non tunai setiap bulan melalui rekening KPM.")
        .satuan("keluarga", "jumlah")
        .source("Dinas Sosial, SIKS-NG")
        .measures(vec![
            count("jumlah_kpm", "Jumlah KPM", "keluarga"),
            number("nilai_bantuan", "Nilai Bantuan", "juta rupiah"),
        ]),
        Spec::new("data-terpadu-kesejahteraan-sosial-desa", "Keluarga dan Jiwa dalam DTKS menurut Desa/Kelurahan", "dinsos", D, |c, r| {
            let families = c.pop() / 3.7;
            let share = c.yearly([0.38, 0.42, 0.43, 0.41, 0.40, 0.39]) * (1.2 - 0.7 * c.area.urban);
            let kel = (families * share * r.jitter(0.05)).round();
            vec![int(kel), int(kel * 3.9 * r.jitter(0.02))]
        })
        .topics(&["sosial", "kemiskinan"])
        .tags(&["DTKS", "kesejahteraan sosial", "desa"])
        .definisi("Jumlah keluarga dan jiwa yang tercatat dalam Data Terpadu Kesejahteraan Sosial (DTKS) menurut desa/kelurahan, posisi Desember.")
        .konsep("DTKS memuat data penduduk miskin dan rentan yang menjadi dasar sasaran program perlindungan sosial. Data rinci per keluarga tidak dibuka; tabel ini agregat desa.")
        .satuan("keluarga", "jumlah")
        .access(Access::Terbatas)
        .periodicity(Periodicity::Bulanan)
        .source("Dinas Sosial, SIKS-NG (posisi Desember)")
        .measures(vec![
            count("jumlah_keluarga", "Jumlah Keluarga", "keluarga"),
            count("jumlah_jiwa", "Jumlah Jiwa", "jiwa"),
        ])
        .versions(2),
        Spec::new("kasus-kekerasan-perempuan-dan-anak", "Kasus Kekerasan terhadap Perempuan dan Anak", "dp3a", K, |c, r| {
            let per_100k = [3.0, 4.0, 2.0][c.cat] * c.yearly([0.8, 0.9, 1.0, 1.2, 1.3, 1.4]);
            let kasus = r.count(c.pop() / 1e5 * per_100k);
            let ditangani = (kasus - r.count(kasus * 0.1)).max(0.0);
            vec![int(kasus), int(ditangani)]
        })
        .topics(&["gender-dan-anak", "sosial"])
        .tags(&["kekerasan", "perempuan", "anak", "SIMFONI-PPA"])
        .definisi("Jumlah kasus kekerasan terhadap perempuan dan anak yang dilaporkan dan yang ditangani, menurut kelompok korban dan kecamatan.")
        .konsep("Kasus kekerasan mencakup kekerasan fisik, psikis, seksual, penelantaran dan eksploitasi. Angka kecil dapat mengungkap identitas korban, sehingga data ini tertutup.")
        .satuan("kasus", "jumlah")
        .klasifikasi("kelompok korban")
        .access(Access::Tertutup)
        .source("Dinas Pemberdayaan Perempuan dan Perlindungan Anak, SIMFONI-PPA")
        .by("kelompok_korban", "Kelompok Korban", KORBAN)
        .measures(vec![
            count("jumlah_kasus", "Jumlah Kasus", "kasus"),
            count("ditangani", "Kasus Ditangani", "kasus"),
        ]),
        Spec::new("persentase-penduduk-miskin", "Estimasi Persentase Penduduk Miskin menurut Kecamatan", "bappeda", K, |c, r| {
            let kab = c.yearly([16.41, 16.12, 16.37, 15.36, 15.02, 14.38]);
            let p = kab * (1.13 - 0.7 * c.area.urban) * (0.85 + 0.3 * c.stable("miskin")) * r.jitter(0.02);
            vec![num(p, 2), int(c.pop() * p / 100.0)]
        })
        .topics(&["kemiskinan", "sosial"])
        .tags(&["kemiskinan", "penduduk miskin", "garis kemiskinan", "SDGs 1.2"])
        .definisi("Estimasi persentase dan jumlah penduduk miskin menurut kecamatan, disusun Bappeda untuk penentuan sasaran program penanggulangan kemiskinan.")
        .konsep("Penduduk miskin adalah penduduk dengan rata-rata pengeluaran per kapita per bulan di bawah garis kemiskinan. Estimasi kecamatan memakai model area kecil (small area estimation).")
        .satuan("persen", "persentase")
        .source("Bappeda, estimasi area kecil dari data Susenas dan DTKS")
        .measures(vec![
            number("persentase_penduduk_miskin", "Persentase Penduduk Miskin", "persen"),
            count("jumlah_penduduk_miskin", "Jumlah Penduduk Miskin", "jiwa"),
        ])
        .versions(2)
        .prioritas(),
    ]
}

fn pertanian() -> Vec<Spec> {
    vec![
        Spec::new("luas-panen-dan-produksi-padi", "Luas Panen, Produksi, dan Produktivitas Padi", "distan", K, |c, r| {
            let luas = c.area.kec.rice_ha * (1.0 + 0.012 * c.t()) * c.yearly([0.97, 1.0, 1.03, 0.99, 0.94, 1.02]) * r.jitter(0.04);
            let ku_ha = (46.5 + 0.45 * c.t()) * c.yearly([0.98, 1.0, 1.01, 1.0, 0.95, 1.02]) * (0.93 + 0.14 * c.stable("padi")) * r.jitter(0.02);
            let luas = (luas * 100.0).round() / 100.0;
            let ku_ha = (ku_ha * 100.0).round() / 100.0;
            vec![num(luas, 2), num(luas * ku_ha / 10.0, 2), num(ku_ha, 2)]
        })
        .topics(&["pertanian"])
        .tags(&["padi", "produksi", "gabah kering giling", "tanaman pangan", "ketahanan pangan"])
        .definisi("Luas panen (ha), produksi padi dalam gabah kering giling (ton) dan produktivitas (kuintal/ha), menurut kecamatan.")
        .konsep("Produksi = luas panen × produktivitas. Produktivitas dari survei ubinan; luas panen dari pengamatan lapangan.")
        .satuan("ton", "jumlah")
        .source("Dinas Pertanian, laporan SP Tanaman Pangan")
        .measures(vec![
            number("luas_panen", "Luas Panen", "ha"),
            number("produksi", "Produksi (GKG)", "ton"),
            number("produktivitas", "Produktivitas", "kuintal/ha"),
        ])
        .versions(2)
        .prioritas()
        .sds("SDS-PERTANIAN-002"),
        Spec::new("populasi-ternak", "Populasi Ternak menurut Jenis", "distan", K, |c, r| {
            let per_1000 = [28.0, 6.0 * c.area.kec.flood, 35.0, 620.0, 90.0 * c.area.kec.flood][c.cat];
            let n = c.pop() / 1000.0 * per_1000 * (0.8 + 0.4 * c.stable(TERNAK[c.cat])) * (1.0 + 0.02 * c.t()) * r.jitter(0.04);
            vec![int(n)]
        })
        .topics(&["pertanian"])
        .tags(&["ternak", "sapi", "kambing", "unggas", "peternakan"])
        .definisi("Jumlah populasi ternak besar, ternak kecil dan unggas menurut jenis dan kecamatan, posisi akhir tahun.")
        .konsep("Populasi ternak adalah jumlah ternak yang dipelihara pada akhir tahun, dari laporan petugas peternakan kecamatan.")
        .satuan("ekor", "jumlah")
        .klasifikasi("jenis ternak")
        .source("Dinas Pertanian, bidang peternakan")
        .by("jenis_ternak", "Jenis Ternak", TERNAK)
        .measures(vec![count("populasi", "Populasi", "ekor")]),
        Spec::new("luas-areal-dan-produksi-perkebunan-rakyat", "Luas Areal dan Produksi Perkebunan Rakyat menurut Komoditas", "disbun", K, |c, r| {
            let k = &c.area.kec;
            let (base, trend, yield_t) = match c.cat {
                0 => (k.sawit_ha, 0.015, 14.5 * (1.0 + 0.01 * c.t()) * c.yearly([1.0, 0.97, 1.02, 1.03, 0.96, 1.0])),
                1 => (k.karet_ha, -0.012, 1.05 * c.yearly([1.0, 0.95, 0.97, 0.96, 0.93, 0.95])),
                _ => (80.0 + 600.0 * k.flood * c.stable("kelapa"), -0.005, 1.1),
            };
            let luas = base * (1.0 + trend * c.t()) * r.jitter(0.01);
            vec![num(luas, 2), num(luas * yield_t * r.jitter(0.03), 2)]
        })
        .topics(&["pertanian", "ekonomi"])
        .tags(&["kelapa sawit", "karet", "kelapa", "perkebunan rakyat", "TBS"])
        .definisi("Luas areal (ha) dan produksi (ton) perkebunan rakyat menurut komoditas dan kecamatan. Produksi kelapa sawit dalam tandan buah segar, karet dalam karet kering, kelapa dalam setara kopra.")
        .konsep("Perkebunan rakyat adalah usaha budidaya tanaman perkebunan yang diselenggarakan oleh pekebun, bukan badan usaha.")
        .satuan("ton", "jumlah")
        .klasifikasi("komoditas")
        .source("Dinas Perkebunan, statistik perkebunan tahunan")
        .by("komoditas", "Komoditas", KOMODITAS)
        .measures(vec![
            number("luas_areal", "Luas Areal", "ha"),
            number("produksi", "Produksi", "ton"),
        ])
        .prioritas(),
        Spec::new("produksi-perikanan-budidaya", "Produksi Perikanan Budidaya menurut Jenis Wadah", "diskan", K, |c, r| {
            let ton = if c.cat == 0 {
                c.pop() / 1000.0 * 6.0 * (1.0 + 0.05 * c.t()) * (0.6 + 0.8 * c.stable("kolam"))
            } else {
                180.0 * c.area.kec.flood * (1.0 + 0.03 * c.t()) * (0.6 + 0.8 * c.stable("keramba"))
            } * r.jitter(0.06);
            vec![num(ton, 2), int(ton / [1.8, 2.5][c.cat])]
        })
        .topics(&["pertanian", "ekonomi"])
        .tags(&["perikanan", "budidaya", "ikan", "keramba", "kolam"])
        .definisi("Produksi perikanan budidaya (ton) dan jumlah pembudidaya ikan menurut jenis wadah budidaya dan kecamatan.")
        .konsep("Perikanan budidaya adalah kegiatan memelihara ikan dalam wadah terkontrol: kolam di darat dan keramba di sungai.")
        .satuan("ton", "jumlah")
        .klasifikasi("jenis wadah budidaya")
        .source("Dinas Perikanan, statistik perikanan budidaya")
        .by("jenis_wadah", "Jenis Wadah", BUDIDAYA)
        .measures(vec![
            number("produksi", "Produksi", "ton"),
            count("jumlah_pembudidaya", "Jumlah Pembudidaya", "orang"),
        ]),
    ]
}

fn ekonomi() -> Vec<Spec> {
    vec![
        Spec::new("jumlah-koperasi", "Jumlah Koperasi Aktif dan Anggota", "diskopukm", K, |c, r| {
            let total = (c.pop2019_base() / 2_200.0 + 2.0 + 0.3 * c.t()).round();
            let aktif = (total * (0.58 + 0.02 * c.t() + r.range(-0.03, 0.03)).min(0.9)).round();
            vec![int(aktif), int(total - aktif), int(aktif * 95.0 * r.jitter(0.1))]
        })
        .topics(&["ekonomi"])
        .tags(&["koperasi", "anggota koperasi", "ekonomi kerakyatan"])
        .definisi("Jumlah koperasi aktif dan tidak aktif serta jumlah anggota koperasi aktif, menurut kecamatan.")
        .konsep("Koperasi aktif adalah koperasi yang menyelenggarakan rapat anggota tahunan dalam dua tahun terakhir.")
        .satuan("unit", "jumlah")
        .source("Dinas Koperasi dan UKM, ODS Kemenkop UKM")
        .measures(vec![
            count("koperasi_aktif", "Koperasi Aktif", "unit"),
            count("koperasi_tidak_aktif", "Koperasi Tidak Aktif", "unit"),
            count("jumlah_anggota", "Jumlah Anggota", "orang"),
        ]),
        Spec::new("jumlah-umkm", "Jumlah Usaha Mikro, Kecil, dan Menengah dan Tenaga Kerjanya", "diskopukm", K, |c, r| {
            let mikro = c.pop() * 0.052 * (1.0 + 0.02 * c.t()) * c.yearly([1.0, 0.96, 1.0, 1.06, 1.1, 1.14]) * (0.7 + 0.6 * c.area.urban);
            let usaha = (mikro * [1.0, 0.035, 0.004][c.cat] * r.jitter(0.04)).round();
            vec![int(usaha), int(usaha * [1.7, 6.5, 28.0][c.cat] * r.jitter(0.05))]
        })
        .topics(&["ekonomi"])
        .tags(&["UMKM", "usaha mikro", "tenaga kerja"])
        .definisi("Jumlah usaha mikro, kecil dan menengah yang terdata dan tenaga kerjanya, menurut skala usaha dan kecamatan.")
        .konsep("Skala usaha menurut PP 7/2021: mikro (modal usaha sampai Rp1 miliar), kecil (Rp1–5 miliar), menengah (Rp5–10 miliar).")
        .satuan("unit", "jumlah")
        .klasifikasi("skala usaha")
        .source("Dinas Koperasi dan UKM, pendataan UMKM")
        .by("skala_usaha", "Skala Usaha", SKALA)
        .measures(vec![
            count("jumlah_usaha", "Jumlah Usaha", "unit"),
            count("tenaga_kerja", "Tenaga Kerja", "orang"),
        ]),
        Spec::new("kunjungan-wisatawan", "Jumlah Kunjungan Wisatawan", "dispar", K, |c, r| {
            let nus = c.pop() * c.yearly([0.55, 0.18, 0.24, 0.49, 0.62, 0.68]) * (0.3 + 2.0 * c.area.urban) * (0.5 + c.stable("wisata")) * r.jitter(0.05);
            vec![int(if c.cat == 0 { nus } else { nus * 0.0025 * r.jitter(0.3) })]
        })
        .topics(&["ekonomi"])
        .tags(&["pariwisata", "wisatawan", "kunjungan"])
        .definisi("Jumlah kunjungan wisatawan nusantara dan mancanegara ke objek wisata, menurut kecamatan letak objek wisata.")
        .konsep("Kunjungan dihitung dari tiket dan buku tamu pengelola objek wisata; satu orang dapat tercatat lebih dari sekali.")
        .satuan("kunjungan", "jumlah")
        .klasifikasi("asal wisatawan")
        .source("Dinas Pariwisata, laporan pengelola objek wisata")
        .by("asal_wisatawan", "Asal Wisatawan", ASAL_WISATAWAN)
        .measures(vec![count("jumlah_kunjungan", "Jumlah Kunjungan", "kunjungan")]),
        Spec::new("pencari-kerja-terdaftar", "Pencari Kerja Terdaftar dan Penempatan Tenaga Kerja", "disnakertrans", K, |c, r| {
            let daftar = c.pop() * 0.0085 * c.yearly([1.0, 1.35, 1.25, 1.05, 0.98, 0.95]) * (0.6 + c.area.urban) * [0.56, 0.44][c.cat] * r.jitter(0.06);
            let daftar = daftar.round();
            vec![int(daftar), int(daftar * c.yearly([0.32, 0.18, 0.22, 0.29, 0.34, 0.36]) * r.jitter(0.08))]
        })
        .topics(&["ekonomi"])
        .tags(&["pencari kerja", "AK/I", "penempatan", "ketenagakerjaan"])
        .definisi("Jumlah pencari kerja yang mendaftar (kartu AK/I) dan yang ditempatkan, menurut jenis kelamin dan kecamatan domisili.")
        .konsep("Pencari kerja terdaftar adalah penduduk usia kerja yang mendaftarkan diri untuk mencari pekerjaan di dinas ketenagakerjaan.")
        .satuan("orang", "jumlah")
        .klasifikasi("jenis kelamin")
        .source("Dinas Tenaga Kerja dan Transmigrasi, SIAPkerja")
        .by("jenis_kelamin", "Jenis Kelamin", SEX)
        .measures(vec![
            count("pencari_kerja_terdaftar", "Pencari Kerja Terdaftar", "orang"),
            count("ditempatkan", "Ditempatkan", "orang"),
        ]),
    ]
}

/// IDM status from the score (Permendesa 2/2016 thresholds).
fn status_idm(score: f64) -> &'static str {
    match score {
        s if s <= 0.4907 => STATUS_IDM[0],
        s if s <= 0.5989 => STATUS_IDM[1],
        s if s <= 0.7072 => STATUS_IDM[2],
        s if s <= 0.8155 => STATUS_IDM[3],
        _ => STATUS_IDM[4],
    }
}

fn desa() -> Vec<Spec> {
    vec![
        Spec::new("jumlah-desa-dan-kelurahan", "Jumlah Desa dan Kelurahan menurut Kecamatan", "bps", K, |c, _| {
            vec![int(c.area.n_desa as f64), int(c.area.n_kelurahan as f64)]
        })
        .topics(&["pemerintahan"])
        .tags(&["desa", "kelurahan", "wilayah administrasi", "kode wilayah"])
        .definisi("Jumlah desa dan kelurahan menurut kecamatan, sesuai kode dan data wilayah administrasi pemerintahan Kemendagri.")
        .konsep("Desa dipimpin kepala desa dan mengelola Dana Desa; kelurahan adalah perangkat daerah di bawah kecamatan. Kode kelurahan diawali angka 1, desa angka 2.")
        .satuan("desa/kelurahan", "jumlah")
        .source("BPS, diolah dari Kepmendagri tentang kode dan data wilayah administrasi pemerintahan")
        .measures(vec![
            count("jumlah_desa", "Jumlah Desa", "desa"),
            count("jumlah_kelurahan", "Jumlah Kelurahan", "kelurahan"),
        ]),
        Spec::new("realisasi-dana-desa", "Pagu dan Realisasi Dana Desa menurut Desa", "dpmd", D, |c, r| {
            let pagu = (780.0 + 260.0 * c.stable("dd") + c.pop() * 0.12) * 1e6 * c.yearly([0.97, 1.02, 1.01, 0.98, 1.0, 1.03]);
            let pagu = (pagu / 1000.0).round() * 1000.0;
            let real = (pagu * r.range(0.93, 1.0) / 1000.0).round() * 1000.0;
            vec![int(pagu), int(real), pct(real, pagu)]
        })
        .topics(&["pemerintahan"])
        .tags(&["Dana Desa", "keuangan desa", "APBDes", "realisasi"])
        .definisi("Pagu Dana Desa yang dialokasikan dan realisasi penyalurannya ke rekening kas desa, menurut desa. Kelurahan tidak menerima Dana Desa.")
        .konsep("Dana Desa adalah dana APBN yang diperuntukkan bagi desa, ditransfer melalui APBD kabupaten, untuk pembangunan dan pemberdayaan masyarakat desa.")
        .satuan("rupiah", "jumlah dan persentase")
        .jenis(DataKind::Keuangan)
        .only_desa()
        .source("Dinas PMD, OM-SPAN TKD dan Siskeudes")
        .measures(vec![
            count("pagu", "Pagu Dana Desa", "rupiah"),
            count("realisasi", "Realisasi Penyaluran", "rupiah"),
            number("persentase_realisasi", "Persentase Realisasi", "persen"),
        ]),
        Spec::new("indeks-desa-membangun", "Indeks Desa Membangun (IDM) dan Status Desa", "dpmd", D, |c, r| {
            let base = 0.585 + 0.2 * c.stable("idm") + 0.022 * c.t();
            let iks = (base + 0.04 + r.range(-0.03, 0.03)).clamp(0.35, 0.98);
            let ike = (base - 0.06 + r.range(-0.04, 0.04)).clamp(0.3, 0.95);
            let ikl = (base + 0.02 + r.range(-0.05, 0.05)).clamp(0.3, 1.0);
            let round4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
            let (iks, ike, ikl) = (round4(iks), round4(ike), round4(ikl));
            let idm = round4((iks + ike + ikl) / 3.0);
            vec![num(iks, 4), num(ike, 4), num(ikl, 4), num(idm, 4), Value::Text(status_idm(idm).to_string())]
        })
        .topics(&["pemerintahan"])
        .tags(&["IDM", "status desa", "desa mandiri", "Kemendesa"])
        .definisi("Indeks Desa Membangun dan komponennya (indeks ketahanan sosial, ekonomi, dan ekologi/lingkungan) serta status desa, menurut desa.")
        .konsep("IDM = rata-rata IKS, IKE dan IKL. Status: sangat tertinggal (≤ 0,4907), tertinggal (≤ 0,5989), berkembang (≤ 0,7072), maju (≤ 0,8155), mandiri (> 0,8155).")
        .satuan("indeks", "indeks")
        .klasifikasi("status desa")
        .only_desa()
        .source("Dinas PMD, pemutakhiran IDM Kemendesa PDTT")
        .measures(vec![
            number("iks", "Indeks Ketahanan Sosial", "indeks"),
            number("ike", "Indeks Ketahanan Ekonomi", "indeks"),
            number("ikl", "Indeks Ketahanan Lingkungan", "indeks"),
            number("skor_idm", "Skor IDM", "indeks"),
            category("status_idm", "Status Desa", STATUS_IDM),
        ])
        .prioritas(),
        Spec::new("ketersediaan-internet-desa", "Ketersediaan Sinyal Seluler dan Internet Publik di Desa/Kelurahan", "diskominfo", D, |c, _| {
            let q = 1.6 * c.area.urban + 0.7 * c.stable("sinyal") + 0.09 * c.t();
            let sinyal = match q {
                q if q > 0.85 => SINYAL[0],
                q if q > 0.55 => SINYAL[1],
                q if q > 0.3 => SINYAL[2],
                _ => SINYAL[3],
            };
            let wifi = c.year >= 2021 && c.stable("wifi") < 0.15 + 0.12 * (c.t() - 2.0) + 0.5 * c.area.urban;
            vec![Value::Text(sinyal.to_string()), Value::Bool(q > 0.7), Value::Bool(wifi)]
        })
        .topics(&["pemerintahan", "infrastruktur"])
        .tags(&["internet", "sinyal", "BTS", "desa digital", "wifi publik"])
        .definisi("Sinyal telepon seluler terkuat di kantor desa/kelurahan, keberadaan menara BTS, dan titik wifi publik milik pemerintah, menurut desa/kelurahan.")
        .konsep("Sinyal terkuat diamati di kantor desa/kelurahan; wifi publik adalah akses internet gratis yang disediakan pemerintah daerah atau desa.")
        .satuan("desa/kelurahan", "keberadaan")
        .source("Diskominfo, pendataan infrastruktur TIK desa")
        .measures(vec![
            category("sinyal_terkuat", "Sinyal Terkuat", SINYAL),
            flag("ada_bts", "Ada Menara BTS"),
            flag("wifi_publik", "Ada Wifi Publik"),
        ]),
    ]
}

fn infrastruktur() -> Vec<Spec> {
    vec![
        Spec::new("panjang-jalan-kabupaten-menurut-kondisi", "Panjang Jalan Kabupaten menurut Kondisi", "dpupr", K, |c, r| {
            let total = 40.0 + c.area.area_km2 * 0.06 + c.pop2019_base() / 1000.0 * 0.9 + 0.8 * c.t();
            let baik = (0.36 + 0.035 * c.t() - c.yearly([0.0, 0.015, 0.02, 0.01, 0.0, 0.0]) + 0.1 * (c.stable("jalan") - 0.5)).min(0.75);
            let sedang = 0.26;
            let rest = 1.0 - baik - sedang;
            let share = [baik, sedang, rest * 0.56, rest * 0.44][c.cat];
            vec![num(total * share * r.jitter(0.01), 2)]
        })
        .topics(&["infrastruktur"])
        .tags(&["jalan", "kondisi jalan", "jalan kabupaten", "kemantapan jalan"])
        .definisi("Panjang jalan berstatus jalan kabupaten (km) menurut kondisi permukaan dan kecamatan yang dilalui.")
        .konsep("Kondisi jalan dinilai dari survei kondisi jalan (IRI/SDI): baik dan sedang termasuk jalan mantap; rusak ringan dan rusak berat tidak mantap.")
        .satuan("km", "panjang")
        .klasifikasi("kondisi jalan")
        .source("Dinas PUPR, survei kondisi jalan")
        .by("kondisi", "Kondisi Jalan", KONDISI)
        .measures(vec![number("panjang_jalan", "Panjang Jalan", "km")])
        .versions(2)
        .prioritas(),
        Spec::new("rumah-tidak-layak-huni", "Rumah Tidak Layak Huni dan Penanganannya", "dpupr", K, |c, r| {
            let rumah = c.pop() / 3.9;
            let share = c.yearly([0.112, 0.106, 0.101, 0.094, 0.086, 0.079]) * (1.2 - 0.6 * c.area.urban);
            let rtlh = (rumah * share * r.jitter(0.04)).round();
            vec![int(rtlh), int(rtlh * c.yearly([0.045, 0.02, 0.025, 0.05, 0.06, 0.065]) * r.jitter(0.2))]
        })
        .topics(&["infrastruktur", "sosial"])
        .tags(&["RTLH", "perumahan", "bedah rumah"])
        .definisi("Jumlah rumah tidak layak huni dan rumah yang ditangani (dibangun atau diperbaiki) melalui program pemerintah, menurut kecamatan.")
        .konsep("Rumah tidak layak huni tidak memenuhi persyaratan keselamatan bangunan, kecukupan luas minimum, dan kesehatan penghuni.")
        .satuan("unit", "jumlah")
        .source("Dinas PUPR, basis data perumahan")
        .measures(vec![
            count("jumlah_rtlh", "Rumah Tidak Layak Huni", "unit"),
            count("rtlh_ditangani", "RTLH Ditangani", "unit"),
        ]),
        Spec::new("akses-air-minum-layak", "Rumah Tangga dengan Akses Air Minum Layak", "dpupr", K, |c, r| {
            let rt = (c.pop() / 3.8 * r.jitter(0.01)).round();
            let layak = ((68.0 + 2.6 * c.t() + 18.0 * c.area.urban + r.range(-2.0, 2.0)).min(98.0) / 100.0 * rt).round();
            vec![int(rt), int(layak), pct(layak, rt)]
        })
        .topics(&["infrastruktur", "kesehatan"])
        .tags(&["air minum", "SPAM", "sanitasi", "SDGs 6.1"])
        .definisi("Jumlah rumah tangga dan rumah tangga yang memiliki akses air minum layak (perpipaan, sumur terlindung, mata air terlindung, air hujan), menurut kecamatan.")
        .konsep("Akses air minum layak mengikuti definisi SDGs 6.1 dan Standar Pelayanan Minimal bidang pekerjaan umum.")
        .satuan("rumah tangga", "jumlah dan persentase")
        .source("Dinas PUPR, data SPM air minum")
        .measures(vec![
            count("jumlah_rumah_tangga", "Jumlah Rumah Tangga", "rumah tangga"),
            count("akses_layak", "Akses Air Minum Layak", "rumah tangga"),
            number("persentase", "Persentase", "persen"),
        ]),
        Spec::new("sarana-perhubungan", "Jumlah Sarana Perhubungan Darat dan Sungai", "dishub", K, |c, _| {
            let dermaga = (6.0 * c.area.kec.flood + c.stable("dermaga") + 0.2 * c.t()).floor();
            let rambu = (c.pop2019_base() / 650.0 * (1.0 + 0.07 * c.t()) * (0.8 + 0.4 * c.stable("rambu"))).round();
            let pju = (c.pop2019_base() / 180.0 * (0.5 + c.area.urban) * (1.0 + 0.09 * c.t())).round();
            vec![int(dermaga), int(rambu), int(pju)]
        })
        .topics(&["infrastruktur"])
        .tags(&["dermaga", "rambu lalu lintas", "PJU", "angkutan sungai"])
        .definisi("Jumlah dermaga sungai, rambu lalu lintas, dan lampu penerangan jalan umum yang dikelola pemerintah kabupaten, menurut kecamatan.")
        .konsep("Sarana perhubungan adalah fasilitas pendukung lalu lintas dan angkutan jalan serta angkutan sungai.")
        .satuan("unit", "jumlah")
        .source("Dinas Perhubungan, inventarisasi aset")
        .measures(vec![
            count("dermaga_sungai", "Dermaga Sungai", "unit"),
            count("rambu_lalu_lintas", "Rambu Lalu Lintas", "unit"),
            count("lampu_penerangan_jalan", "Lampu Penerangan Jalan Umum", "unit"),
        ]),
    ]
}

fn lingkungan() -> Vec<Spec> {
    vec![
        Spec::new("timbulan-dan-pengelolaan-sampah", "Timbulan dan Pengelolaan Sampah", "dlh", K, |c, r| {
            let timbulan = c.pop() * (0.52 + 0.25 * c.area.urban) * 365.0 / 1000.0 * (1.0 + 0.01 * c.t()) * r.jitter(0.03);
            let share = (8.0 + 70.0 * c.area.urban + 2.5 * c.t() + r.range(-2.0, 2.0)).min(95.0) / 100.0;
            let timbulan = (timbulan * 100.0).round() / 100.0;
            let kelola = (timbulan * share * 100.0).round() / 100.0;
            vec![num(timbulan, 2), num(kelola, 2), pct(kelola, timbulan)]
        })
        .topics(&["lingkungan-hidup"])
        .tags(&["sampah", "timbulan sampah", "SIPSN", "pengelolaan sampah"])
        .definisi("Perkiraan timbulan sampah rumah tangga dan sejenis (ton/tahun) dan sampah yang terkelola (dikurangi atau ditangani), menurut kecamatan.")
        .konsep("Timbulan sampah dihitung dari jumlah penduduk dikali laju timbulan per orang per hari; sampah terkelola mencakup pengurangan dan penanganan.")
        .satuan("ton", "jumlah dan persentase")
        .source("Dinas Lingkungan Hidup, SIPSN")
        .measures(vec![
            number("timbulan_sampah", "Timbulan Sampah", "ton"),
            number("sampah_terkelola", "Sampah Terkelola", "ton"),
            number("persentase_terkelola", "Persentase Terkelola", "persen"),
        ]),
        Spec::new("titik-panas-kebakaran-hutan-dan-lahan", "Jumlah Titik Panas (Hotspot) Kebakaran Hutan dan Lahan", "dlh", K, |c, r| {
            let mean = c.area.kec.fire * c.area.area_km2 / 1000.0 * c.yearly([62.0, 4.0, 6.0, 5.0, 38.0, 12.0]);
            let mean = mean * r.jitter(0.2);
            vec![int(r.count(mean))]
        })
        .topics(&["lingkungan-hidup", "kebencanaan"])
        .tags(&["titik panas", "hotspot", "karhutla", "gambut"])
        .definisi("Jumlah titik panas dengan tingkat kepercayaan tinggi yang terpantau satelit di wilayah kecamatan dalam setahun.")
        .konsep("Titik panas adalah piksel citra satelit dengan suhu lebih tinggi dari sekitarnya, indikasi kebakaran hutan dan lahan; bukan jumlah kejadian kebakaran.")
        .satuan("titik", "jumlah")
        .source("Dinas Lingkungan Hidup, rekap pemantauan titik panas satelit (SiPongi)")
        .measures(vec![count("jumlah_titik_panas", "Jumlah Titik Panas", "titik")]),
        Spec::new("kejadian-bencana", "Kejadian Bencana dan Keluarga Terdampak menurut Jenis Bencana", "bpbd", K, |c, r| {
            let k = &c.area.kec;
            let mean = match c.cat {
                0 => k.flood * c.yearly([3.0, 2.5, 3.2, 2.8, 1.6, 3.4]),
                1 => k.fire * c.area.area_km2 / 1000.0 * c.yearly([6.0, 0.6, 0.9, 0.8, 4.5, 1.5]),
                2 => 0.8,
                3 => 0.15,
                _ => c.pop() / 1e4 * 0.6 * (1.0 + c.area.urban),
            };
            let kejadian = r.count(mean);
            let per_event = [55.0, 2.0, 6.0, 2.0, 1.8][c.cat];
            vec![int(kejadian), int(kejadian * per_event * r.range(0.5, 1.5))]
        })
        .topics(&["kebencanaan"])
        .tags(&["bencana", "banjir", "karhutla", "puting beliung", "DIBI"])
        .definisi("Jumlah kejadian bencana dan keluarga terdampak menurut jenis bencana dan kecamatan.")
        .konsep("Kejadian bencana dicatat per peristiwa yang ditangani BPBD; keluarga terdampak adalah keluarga yang rumah atau harta bendanya terkena.")
        .satuan("kejadian", "jumlah")
        .klasifikasi("jenis bencana")
        .source("BPBD, rekap kejadian bencana (DIBI)")
        .by("jenis_bencana", "Jenis Bencana", BENCANA)
        .measures(vec![
            count("jumlah_kejadian", "Jumlah Kejadian", "kejadian"),
            count("keluarga_terdampak", "Keluarga Terdampak", "keluarga"),
        ])
        .versions(2),
    ]
}
