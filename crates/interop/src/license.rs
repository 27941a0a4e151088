//! Licences: satudata stores SPDX-like ids (`CC-BY-4.0`); CKAN speaks its own ids (`cc-by`). This
//! table maps between them and gives the titles and URLs every output needs.

use serde_json::{json, Value};

/// One licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct License {
    /// The id satudata stores (SPDX where there is one).
    pub spdx: &'static str,
    /// The id CKAN uses.
    pub ckan: &'static str,
    pub title: &'static str,
    pub url: &'static str,
    /// Whether it is an open licence (Open Definition).
    pub open: bool,
}

/// The licences satudata knows, CKAN's defaults first-class.
pub const LICENSES: &[License] = &[
    License {
        spdx: "CC-BY-4.0",
        ckan: "cc-by",
        title: "Creative Commons Attribution 4.0",
        url: "https://creativecommons.org/licenses/by/4.0/",
        open: true,
    },
    License {
        spdx: "CC-BY-SA-4.0",
        ckan: "cc-by-sa",
        title: "Creative Commons Attribution Share-Alike 4.0",
        url: "https://creativecommons.org/licenses/by-sa/4.0/",
        open: true,
    },
    License {
        spdx: "CC0-1.0",
        ckan: "cc-zero",
        title: "Creative Commons CCZero",
        url: "https://creativecommons.org/publicdomain/zero/1.0/",
        open: true,
    },
    License {
        spdx: "CC-BY-NC-4.0",
        ckan: "cc-nc",
        title: "Creative Commons Non-Commercial 4.0",
        url: "https://creativecommons.org/licenses/by-nc/4.0/",
        open: false,
    },
    License {
        spdx: "ODbL-1.0",
        ckan: "odc-odbl",
        title: "Open Data Commons Open Database License (ODbL)",
        url: "https://opendatacommons.org/licenses/odbl/1-0/",
        open: true,
    },
    License {
        spdx: "ODC-By-1.0",
        ckan: "odc-by",
        title: "Open Data Commons Attribution License",
        url: "https://opendatacommons.org/licenses/by/1-0/",
        open: true,
    },
    License {
        spdx: "PDDL-1.0",
        ckan: "odc-pddl",
        title: "Open Data Commons Public Domain Dedication and License (PDDL)",
        url: "https://opendatacommons.org/licenses/pddl/1-0/",
        open: true,
    },
    License {
        spdx: "other-open",
        ckan: "other-open",
        title: "Other (Open)",
        url: "https://opendefinition.org/licenses/",
        open: true,
    },
    License {
        spdx: "other-closed",
        ckan: "other-closed",
        title: "Other (Not Open)",
        url: "https://opendefinition.org/licenses/nonconformant/",
        open: false,
    },
    License {
        spdx: "notspecified",
        ckan: "notspecified",
        title: "License not specified",
        url: "https://opendefinition.org/licenses/",
        open: false,
    },
];

/// The licence with this id, SPDX or CKAN, case-insensitive.
pub fn find(id: &str) -> Option<&'static License> {
    let id = id.trim();
    LICENSES
        .iter()
        .find(|l| l.spdx.eq_ignore_ascii_case(id) || l.ckan.eq_ignore_ascii_case(id))
}

/// The licence of a stored id; unknown ids are described as "not specified" but keep their own id.
pub fn describe(id: &str) -> License {
    find(id).copied().unwrap_or(License {
        spdx: "notspecified",
        ckan: "notspecified",
        title: "License not specified",
        url: "https://opendefinition.org/licenses/",
        open: false,
    })
}

/// The dict `license_list` returns for one licence (CKAN 2.10 shape).
pub fn license_dict(l: &License) -> Value {
    json!({
        "id": l.ckan,
        "title": l.title,
        "url": l.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "domain_content": false,
        "domain_data": true,
        "domain_software": false,
        "od_conformance": if l.open { "approved" } else { "not reviewed" },
        "osd_conformance": "not reviewed",
        "is_generic": false,
        "is_okd_compliant": l.open,
        "is_osi_compliant": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_spdx_and_ckan_ids_both_ways() {
        assert_eq!(find("CC-BY-4.0").unwrap().ckan, "cc-by");
        assert_eq!(find("cc-by").unwrap().spdx, "CC-BY-4.0");
        assert_eq!(find("odc-odbl").unwrap().spdx, "ODbL-1.0");
        assert!(find("MIT-ish").is_none());
        assert_eq!(describe("MIT-ish").ckan, "notspecified");
        assert_eq!(license_dict(find("CC0-1.0").unwrap())["id"], "cc-zero");
    }
}
