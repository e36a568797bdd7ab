/// Lookup tables behind `ConsentRegion`: ISO 3166-1 codes, a small table of
/// country names and alpha-3 codes buyers type, and the US states.
/// Name keys are in `ConsentRegion.folded` form (lower case, no accents).
enum RegionTables {
    /// Every assigned ISO 3166-1 alpha-2 code (249) plus `XK` (Kosovo, user-assigned, widely used).
    static let alpha2: Set<String> = Set(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV \
        BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES \
        ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE \
        IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
        MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU \
        NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM \
        SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE \
        VG VI VN VU WF WS YE YT ZA ZM ZW XK
        """.split(separator: " ").map(String.init)
    )

    /// Two-letter codes people use that are not the ISO code.
    static let alpha2Aliases: [String: String] = ["UK": "GB", "EL": "GR"]

    /// The EU member states (27).
    static let eu: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]

    /// The European Economic Area: the EU plus Iceland, Liechtenstein and Norway.
    static let eea: Set<String> = eu.union(["IS", "LI", "NO"])

    /// Alpha-3 codes of the EEA, the UK, Switzerland and the larger markets.
    static let alpha3: [String: String] = [
        "AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK",
        "EST": "EE", "FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR", "HUN": "HU", "IRL": "IE",
        "ITA": "IT", "LVA": "LV", "LTU": "LT", "LUX": "LU", "MLT": "MT", "NLD": "NL", "POL": "PL",
        "PRT": "PT", "ROU": "RO", "SVK": "SK", "SVN": "SI", "ESP": "ES", "SWE": "SE", "ISL": "IS",
        "LIE": "LI", "NOR": "NO", "GBR": "GB", "CHE": "CH", "USA": "US", "CAN": "CA", "AUS": "AU",
        "NZL": "NZ", "MEX": "MX", "BRA": "BR", "JPN": "JP", "CHN": "CN", "IND": "IN", "KOR": "KR",
        "SGP": "SG", "HKG": "HK", "ZAF": "ZA", "ARE": "AE", "ISR": "IL", "TUR": "TR", "UKR": "UA",
        "ARG": "AR", "CHL": "CL", "COL": "CO", "MCO": "MC", "AND": "AD", "SMR": "SM",
    ]

    /// English and native names, folded.
    static let countryNames: [String: String] = [
        "austria": "AT", "osterreich": "AT",
        "belgium": "BE", "belgie": "BE", "belgique": "BE", "belgien": "BE",
        "bulgaria": "BG", "българия": "BG",
        "croatia": "HR", "hrvatska": "HR",
        "cyprus": "CY", "κυπρος": "CY", "kibris": "CY",
        "czech republic": "CZ", "czechia": "CZ", "cesko": "CZ", "ceska republika": "CZ",
        "denmark": "DK", "danmark": "DK",
        "estonia": "EE", "eesti": "EE",
        "finland": "FI", "suomi": "FI",
        "france": "FR",
        "germany": "DE", "deutschland": "DE",
        "greece": "GR", "hellas": "GR", "ellada": "GR", "ελλαδα": "GR",
        "hungary": "HU", "magyarorszag": "HU",
        "ireland": "IE", "republic of ireland": "IE", "eire": "IE",
        "italy": "IT", "italia": "IT",
        "latvia": "LV", "latvija": "LV",
        "lithuania": "LT", "lietuva": "LT",
        "luxembourg": "LU", "luxemburg": "LU", "letzebuerg": "LU",
        "malta": "MT",
        "netherlands": "NL", "the netherlands": "NL", "nederland": "NL", "holland": "NL",
        "poland": "PL", "polska": "PL",
        "portugal": "PT",
        "romania": "RO",
        "slovakia": "SK", "slovensko": "SK",
        "slovenia": "SI", "slovenija": "SI",
        "spain": "ES", "espana": "ES",
        "sweden": "SE", "sverige": "SE",
        "iceland": "IS", "island": "IS",
        "liechtenstein": "LI",
        "norway": "NO", "norge": "NO", "noreg": "NO",
        "united kingdom": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
        "scotland": "GB", "wales": "GB", "northern ireland": "GB",
        "united kingdom of great britain and northern ireland": "GB",
        "switzerland": "CH", "schweiz": "CH", "suisse": "CH", "svizzera": "CH", "svizra": "CH",
        "united states": "US", "united states of america": "US", "america": "US",
        "canada": "CA", "australia": "AU", "new zealand": "NZ", "mexico": "MX",
        "brazil": "BR", "brasil": "BR", "japan": "JP", "china": "CN", "india": "IN",
        "south korea": "KR", "korea": "KR", "republic of korea": "KR", "singapore": "SG",
        "hong kong": "HK", "south africa": "ZA", "united arab emirates": "AE", "israel": "IL",
        "turkey": "TR", "turkiye": "TR", "ukraine": "UA", "argentina": "AR", "chile": "CL",
        "colombia": "CO", "monaco": "MC", "andorra": "AD", "san marino": "SM",
    ]

    /// USPS codes of the 50 states, DC and the inhabited territories, with their names.
    static let usStates: [String: String] = [
        "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
        "CO": "colorado", "CT": "connecticut", "DE": "delaware", "FL": "florida", "GA": "georgia",
        "HI": "hawaii", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa",
        "KS": "kansas", "KY": "kentucky", "LA": "louisiana", "ME": "maine", "MD": "maryland",
        "MA": "massachusetts", "MI": "michigan", "MN": "minnesota", "MS": "mississippi",
        "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada", "NH": "new hampshire",
        "NJ": "new jersey", "NM": "new mexico", "NY": "new york", "NC": "north carolina",
        "ND": "north dakota", "OH": "ohio", "OK": "oklahoma", "OR": "oregon", "PA": "pennsylvania",
        "RI": "rhode island", "SC": "south carolina", "SD": "south dakota", "TN": "tennessee",
        "TX": "texas", "UT": "utah", "VT": "vermont", "VA": "virginia", "WA": "washington",
        "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming", "DC": "district of columbia",
        "PR": "puerto rico", "GU": "guam", "VI": "us virgin islands", "AS": "american samoa",
        "MP": "northern mariana islands",
    ]

    /// `usStates` inverted, plus common variants.
    static let usStateCodesByName: [String: String] = {
        var byName: [String: String] = [:]
        for (code, name) in usStates { byName[name] = code }
        byName["washington dc"] = "DC"
        byName["washington, dc"] = "DC"
        byName["virgin islands"] = "VI"
        return byName
    }()
}
