//! The synthetic "shape" of the regency that every demo table draws on: population, growth, area,
//! how urban each kecamatan is, and its farm land, so that tables agree with each other (the desa
//! populations add up to their kecamatan; rice comes from the tidal-swamp kecamatan; fires from the
//! peat areas).
//!
//! Musi Banyuasin's kecamatan have hand-set profiles with believable magnitudes (about 618,000
//! people in 2019, growing about 1.1 % a year). Their areas are computed from the real boundary
//! polygons (shared/reference/boundaries). Any other regency gets profiles drawn from its code, so
//! the demo still works there.

use satudata_core::region::{Level, RegionCode, RegionKind, Regions};

use crate::rng::Rng;

/// The synthetic profile of one kecamatan in 2019.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KecProfile {
    /// Population in 2019.
    pub pop2019: f64,
    /// Yearly growth rate.
    pub growth: f64,
    /// Area in km².
    pub area_km2: f64,
    /// How urban, 0 (rural) to 1 (town).
    pub urban: f64,
    /// Harvested rice area in 2019, ha.
    pub rice_ha: f64,
    /// Smallholder oil-palm area, ha.
    pub sawit_ha: f64,
    /// Smallholder rubber area, ha.
    pub karet_ha: f64,
    /// Exposure to river floods, 0–1.
    pub flood: f64,
    /// Exposure to land and peat fires, 0–1.
    pub fire: f64,
}

/// Musi Banyuasin (16.06), by kecamatan code 01–15.
const MUSI_BANYUASIN: [(&str, KecProfile); 15] = [
    (
        "16.06.01",
        p(
            91_200.0, 0.015, 729.6, 0.55, 1_150.0, 4_200.0, 14_500.0, 0.7, 0.2,
        ),
    ),
    (
        "16.06.02",
        p(
            42_100.0, 0.009, 596.6, 0.20, 1_900.0, 5_800.0, 9_800.0, 0.6, 0.3,
        ),
    ),
    (
        "16.06.03",
        p(
            38_600.0, 0.008, 487.6, 0.10, 850.0, 3_100.0, 13_200.0, 0.4, 0.3,
        ),
    ),
    (
        "16.06.04",
        p(
            23_900.0, 0.007, 2_279.4, 0.05, 600.0, 6_900.0, 11_600.0, 0.6, 0.6,
        ),
    ),
    (
        "16.06.05",
        p(
            28_800.0, 0.007, 591.5, 0.08, 1_400.0, 2_400.0, 8_700.0, 0.8, 0.3,
        ),
    ),
    (
        "16.06.06",
        p(
            36_300.0, 0.008, 353.6, 0.12, 1_250.0, 3_600.0, 9_900.0, 0.8, 0.2,
        ),
    ),
    (
        "16.06.07",
        p(
            62_300.0, 0.014, 463.0, 0.30, 4_300.0, 17_800.0, 3_600.0, 0.3, 0.5,
        ),
    ),
    (
        "16.06.08",
        p(
            38_300.0, 0.011, 445.0, 0.12, 2_600.0, 15_400.0, 2_100.0, 0.2, 0.5,
        ),
    ),
    (
        "16.06.09",
        p(
            67_700.0, 0.016, 4_531.2, 0.15, 3_100.0, 38_500.0, 4_800.0, 0.3, 1.0,
        ),
    ),
    (
        "16.06.10",
        p(
            26_000.0, 0.009, 487.2, 0.06, 700.0, 9_200.0, 7_400.0, 0.2, 0.4,
        ),
    ),
    (
        "16.06.11",
        p(
            43_400.0, 0.010, 844.6, 0.05, 11_800.0, 8_300.0, 900.0, 0.5, 0.7,
        ),
    ),
    (
        "16.06.12",
        p(
            48_100.0, 0.012, 1_400.4, 0.08, 2_900.0, 21_600.0, 2_500.0, 0.2, 0.8,
        ),
    ),
    (
        "16.06.13",
        p(
            25_100.0, 0.007, 422.3, 0.06, 900.0, 2_800.0, 8_100.0, 0.7, 0.3,
        ),
    ),
    (
        "16.06.14",
        p(
            31_800.0, 0.010, 570.1, 0.07, 1_800.0, 12_100.0, 3_900.0, 0.2, 0.5,
        ),
    ),
    (
        "16.06.15",
        p(
            14_700.0, 0.008, 426.6, 0.04, 650.0, 5_700.0, 4_400.0, 0.4, 0.4,
        ),
    ),
];

#[allow(clippy::too_many_arguments)]
const fn p(
    pop2019: f64,
    growth: f64,
    area_km2: f64,
    urban: f64,
    rice_ha: f64,
    sawit_ha: f64,
    karet_ha: f64,
    flood: f64,
    fire: f64,
) -> KecProfile {
    KecProfile {
        pop2019,
        growth,
        area_km2,
        urban,
        rice_ha,
        sawit_ha,
        karet_ha,
        flood,
        fire,
    }
}

/// A region a table row is about: a kecamatan, or a desa/kelurahan with its share of its kecamatan.
#[derive(Debug, Clone)]
pub(crate) struct Area {
    pub code: RegionCode,
    pub name: String,
    pub kind: RegionKind,
    /// The kecamatan's profile (for a desa: its kecamatan's).
    pub kec: KecProfile,
    /// Population in 2019.
    pub pop2019: f64,
    pub growth: f64,
    pub area_km2: f64,
    /// How urban, 0–1 (a kelurahan is more urban than its kecamatan).
    pub urban: f64,
    /// Desa and kelurahan inside (a kecamatan only; 0 for a desa).
    pub n_desa: usize,
    pub n_kelurahan: usize,
}

impl Area {
    /// Population in `year`.
    pub fn pop(&self, year: i32) -> f64 {
        self.pop2019 * (1.0 + self.growth).powi(year - 2019)
    }

    /// Whether this is a desa (not a kelurahan, not a kecamatan): only desa get Dana Desa and an IDM.
    pub fn is_desa(&self) -> bool {
        self.kind == RegionKind::Desa
    }
}

/// The kecamatan and desa/kelurahan of the home region, with their synthetic profiles.
#[derive(Debug, Clone)]
pub(crate) struct Geography {
    pub kecamatan: Vec<Area>,
    pub desa: Vec<Area>,
}

impl Geography {
    /// Build the geography of `home` (a kabupaten/kota).
    pub fn of(home: &RegionCode) -> Geography {
        let regions = Regions::get();
        let mut rng = Rng::keyed(&format!("geografi-{}", home.dotted()));
        let mut kecamatan = vec![];
        let mut desa = vec![];
        for kec in regions.descendants(home, Level::Kecamatan) {
            let dotted = kec.code.dotted();
            let profile = MUSI_BANYUASIN
                .iter()
                .find(|(c, _)| *c == dotted)
                .map(|(_, p)| *p)
                .unwrap_or_else(|| drawn_profile(&mut rng));
            kecamatan.push(Area {
                code: kec.code,
                name: kec.name.clone(),
                kind: kec.kind,
                kec: profile,
                pop2019: profile.pop2019,
                growth: profile.growth,
                area_km2: profile.area_km2,
                urban: profile.urban,
                n_desa: 0,
                n_kelurahan: 0,
            });
            let villages = regions.children(&kec.code);
            if let Some(k) = kecamatan.last_mut() {
                k.n_kelurahan = villages
                    .iter()
                    .filter(|v| v.kind == RegionKind::Kelurahan)
                    .count();
                k.n_desa = villages.len() - k.n_kelurahan;
            }
            // Kelurahan are the small towns: more people on less land.
            let pop_w: Vec<f64> = villages
                .iter()
                .map(|v| {
                    rng.range(0.45, 1.6)
                        * if v.kind == RegionKind::Kelurahan {
                            2.6
                        } else {
                            1.0
                        }
                })
                .collect();
            let area_w: Vec<f64> = villages
                .iter()
                .map(|v| {
                    rng.range(0.4, 1.8)
                        * if v.kind == RegionKind::Kelurahan {
                            0.35
                        } else {
                            1.0
                        }
                })
                .collect();
            let (pop_sum, area_sum): (f64, f64) = (pop_w.iter().sum(), area_w.iter().sum());
            for (i, v) in villages.iter().enumerate() {
                let share = pop_w[i] / pop_sum;
                let urban = if v.kind == RegionKind::Kelurahan {
                    (profile.urban + 0.35).min(0.95)
                } else {
                    profile.urban * rng.range(0.2, 0.7)
                };
                desa.push(Area {
                    code: v.code,
                    name: v.name.clone(),
                    kind: v.kind,
                    kec: profile,
                    pop2019: profile.pop2019 * share,
                    growth: (profile.growth + rng.range(-0.004, 0.004)).max(0.0),
                    area_km2: profile.area_km2 * area_w[i] / area_sum,
                    urban,
                    n_desa: 0,
                    n_kelurahan: 0,
                });
            }
        }
        Geography { kecamatan, desa }
    }

    /// The areas of a level.
    pub fn areas(&self, level: Level) -> &[Area] {
        if level == Level::Desa {
            &self.desa
        } else {
            &self.kecamatan
        }
    }
}

/// A believable profile for a kecamatan of another regency.
fn drawn_profile(rng: &mut Rng) -> KecProfile {
    let pop2019 = rng.range(15_000.0, 80_000.0).round();
    KecProfile {
        pop2019,
        growth: rng.range(0.006, 0.016),
        area_km2: rng.range(150.0, 1_500.0),
        urban: rng.range(0.03, 0.5),
        rice_ha: rng.range(300.0, 5_000.0),
        sawit_ha: rng.range(0.0, 15_000.0),
        karet_ha: rng.range(0.0, 10_000.0),
        flood: rng.range(0.1, 0.8),
        fire: rng.range(0.1, 0.8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn musi_banyuasin_adds_up() {
        let g = Geography::of(&RegionCode::parse("16.06").expect("valid"));
        assert_eq!(g.kecamatan.len(), 15);
        assert_eq!(g.desa.len(), 242);
        let kab_2021: f64 = g.kecamatan.iter().map(|a| a.pop(2021)).sum();
        assert!((600_000.0..660_000.0).contains(&kab_2021), "{kab_2021}");
        let desa_2019: f64 = g.desa.iter().map(|a| a.pop2019).sum();
        let kec_2019: f64 = g.kecamatan.iter().map(|a| a.pop2019).sum();
        assert!((desa_2019 - kec_2019).abs() < 1.0);
        let area: f64 = g.kecamatan.iter().map(|a| a.area_km2).sum();
        assert!((14_000.0..15_000.0).contains(&area));
    }

    #[test]
    fn other_regencies_get_drawn_profiles() {
        let g = Geography::of(&RegionCode::parse("15.08").expect("valid"));
        assert!(!g.kecamatan.is_empty() && !g.desa.is_empty());
    }
}
