/// US states, the District of Columbia, territories and military "states"
/// with their two-letter USPS/ANSI codes, for platforms that want the code
/// (`California` → `ca`). Keys are lowercase a-z only.
enum USStates {
    private static let table = """
        AL alabama
        AK alaska
        AZ arizona
        AR arkansas
        CA california
        CO colorado
        CT connecticut
        DE delaware
        DC districtofcolumbia washingtondc
        FL florida
        GA georgia
        HI hawaii
        ID idaho
        IL illinois
        IN indiana
        IA iowa
        KS kansas
        KY kentucky
        LA louisiana
        ME maine
        MD maryland
        MA massachusetts
        MI michigan
        MN minnesota
        MS mississippi
        MO missouri
        MT montana
        NE nebraska
        NV nevada
        NH newhampshire
        NJ newjersey
        NM newmexico
        NY newyork newyorkstate
        NC northcarolina
        ND northdakota
        OH ohio
        OK oklahoma
        OR oregon
        PA pennsylvania
        RI rhodeisland
        SC southcarolina
        SD southdakota
        TN tennessee
        TX texas
        UT utah
        VT vermont
        VA virginia
        WA washington washingtonstate
        WV westvirginia
        WI wisconsin
        WY wyoming
        AS americansamoa
        GU guam
        MP northernmarianaislands
        PR puertorico
        VI virginislands usvirginislands
        UM usminoroutlyingislands
        AA armedforcesamericas
        AE armedforceseurope
        AP armedforcespacific
        """

    private static let byKey: [String: String] = {
        var map: [String: String] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let code = fields.first else { continue }
            let lower = code.lowercased()
            map[lower] = lower
            for key in fields.dropFirst() { map[String(key)] = lower }
        }
        return map
    }()

    /// The lowercase two-letter code for a lookup key (a code or a name), or `nil`.
    static func code(forKey key: String) -> String? { byKey[key] }
}
