//! Vietnam's 34 provinces and centrally-run cities after the reform of 1 July 2025
//! (Resolution 202/2025/QH15). Communes (3,321) are data, loaded at run time by the server.

/// A province-level unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Province {
    /// The official code (01 Hà Nội … 96 Cà Mau).
    pub code: u8,
    /// Full name, e.g. "Thành phố Cần Thơ".
    pub name: &'static str,
    /// Name without the unit word, e.g. "Cần Thơ".
    pub short_name: &'static str,
    pub codename: &'static str,
}

pub const PROVINCES: [Province; 34] = [
    Province { code: 1, name: "Thành phố Hà Nội", short_name: "Hà Nội", codename: "ha_noi" },
    Province { code: 4, name: "Tỉnh Cao Bằng", short_name: "Cao Bằng", codename: "cao_bang" },
    Province { code: 8, name: "Tỉnh Tuyên Quang", short_name: "Tuyên Quang", codename: "tuyen_quang" },
    Province { code: 11, name: "Tỉnh Điện Biên", short_name: "Điện Biên", codename: "dien_bien" },
    Province { code: 12, name: "Tỉnh Lai Châu", short_name: "Lai Châu", codename: "lai_chau" },
    Province { code: 14, name: "Tỉnh Sơn La", short_name: "Sơn La", codename: "son_la" },
    Province { code: 15, name: "Tỉnh Lào Cai", short_name: "Lào Cai", codename: "lao_cai" },
    Province { code: 19, name: "Tỉnh Thái Nguyên", short_name: "Thái Nguyên", codename: "thai_nguyen" },
    Province { code: 20, name: "Tỉnh Lạng Sơn", short_name: "Lạng Sơn", codename: "lang_son" },
    Province { code: 22, name: "Tỉnh Quảng Ninh", short_name: "Quảng Ninh", codename: "quang_ninh" },
    Province { code: 24, name: "Tỉnh Bắc Ninh", short_name: "Bắc Ninh", codename: "bac_ninh" },
    Province { code: 25, name: "Tỉnh Phú Thọ", short_name: "Phú Thọ", codename: "phu_tho" },
    Province { code: 31, name: "Thành phố Hải Phòng", short_name: "Hải Phòng", codename: "hai_phong" },
    Province { code: 33, name: "Tỉnh Hưng Yên", short_name: "Hưng Yên", codename: "hung_yen" },
    Province { code: 37, name: "Tỉnh Ninh Bình", short_name: "Ninh Bình", codename: "ninh_binh" },
    Province { code: 38, name: "Tỉnh Thanh Hóa", short_name: "Thanh Hóa", codename: "thanh_hoa" },
    Province { code: 40, name: "Tỉnh Nghệ An", short_name: "Nghệ An", codename: "nghe_an" },
    Province { code: 42, name: "Tỉnh Hà Tĩnh", short_name: "Hà Tĩnh", codename: "ha_tinh" },
    Province { code: 44, name: "Tỉnh Quảng Trị", short_name: "Quảng Trị", codename: "quang_tri" },
    Province { code: 46, name: "Thành phố Huế", short_name: "Huế", codename: "hue" },
    Province { code: 48, name: "Thành phố Đà Nẵng", short_name: "Đà Nẵng", codename: "da_nang" },
    Province { code: 51, name: "Tỉnh Quảng Ngãi", short_name: "Quảng Ngãi", codename: "quang_ngai" },
    Province { code: 52, name: "Tỉnh Gia Lai", short_name: "Gia Lai", codename: "gia_lai" },
    Province { code: 56, name: "Tỉnh Khánh Hòa", short_name: "Khánh Hòa", codename: "khanh_hoa" },
    Province { code: 66, name: "Tỉnh Đắk Lắk", short_name: "Đắk Lắk", codename: "dak_lak" },
    Province { code: 68, name: "Tỉnh Lâm Đồng", short_name: "Lâm Đồng", codename: "lam_dong" },
    Province { code: 75, name: "Tỉnh Đồng Nai", short_name: "Đồng Nai", codename: "dong_nai" },
    Province { code: 79, name: "Thành phố Hồ Chí Minh", short_name: "Hồ Chí Minh", codename: "ho_chi_minh" },
    Province { code: 80, name: "Tỉnh Tây Ninh", short_name: "Tây Ninh", codename: "tay_ninh" },
    Province { code: 82, name: "Tỉnh Đồng Tháp", short_name: "Đồng Tháp", codename: "dong_thap" },
    Province { code: 86, name: "Tỉnh Vĩnh Long", short_name: "Vĩnh Long", codename: "vinh_long" },
    Province { code: 91, name: "Tỉnh An Giang", short_name: "An Giang", codename: "an_giang" },
    Province { code: 92, name: "Thành phố Cần Thơ", short_name: "Cần Thơ", codename: "can_tho" },
    Province { code: 96, name: "Tỉnh Cà Mau", short_name: "Cà Mau", codename: "ca_mau" },
];

/// The province with this code, if it exists after the 2025 reform.
pub fn province(code: u8) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.code == code)
}

/// The provinces sorted for people: Vietnamese alphabetical order of the short name.
pub fn provinces_by_name() -> Vec<&'static Province> {
    let mut v: Vec<&Province> = PROVINCES.iter().collect();
    v.sort_by_cached_key(|p| crate::text::vietnamese_sort_key(p.short_name));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_34_unique_codes_in_order() {
        assert_eq!(PROVINCES.len(), 34);
        assert!(PROVINCES.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn merged_provinces_are_gone() {
        // Sóc Trăng (94) is now part of Cần Thơ; Bình Dương (74) part of TP HCM.
        assert!(province(94).is_none());
        assert!(province(74).is_none());
        assert_eq!(province(92).unwrap().short_name, "Cần Thơ");
    }

    #[test]
    fn sorts_d_with_stroke_after_d() {
        let names: Vec<&str> = provinces_by_name().iter().map(|p| p.short_name).collect();
        let dak = names.iter().position(|n| *n == "Đắk Lắk").unwrap();
        let dien = names.iter().position(|n| *n == "Điện Biên").unwrap();
        let da_nang = names.iter().position(|n| *n == "Đà Nẵng").unwrap();
        let gia_lai = names.iter().position(|n| *n == "Gia Lai").unwrap();
        assert!(da_nang < dak && dak < dien && dien < gia_lai, "{names:?}");
        assert_eq!(names[0], "An Giang");
    }

    #[test]
    fn lists_short_names_before_longer_ones_that_share_a_start() {
        let names: Vec<&str> = provinces_by_name().iter().map(|p| p.short_name).collect();
        let at = |n: &str| names.iter().position(|x| *x == n).unwrap_or_else(|| panic!("{n} in {names:?}"));
        assert!(at("Cà Mau") < at("Cao Bằng"), "{names:?}");
        assert!(at("Hà Nội") < at("Hải Phòng"), "{names:?}");
    }
}
