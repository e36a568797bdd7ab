import BridgeCore
import Testing

@Suite("Match-quality score model")
struct MatchQualityModelTests {
    func mask(_ keys: IdentifierKey...) -> Int64 { IdentifierSet(keys).mask }

    @Test("Meta: independent chances, the worked examples of docs/match-quality.md")
    func metaExamples() {
        let meta = MatchQualityModel.meta
        #expect(meta.score(0) == 0)
        #expect(abs(meta.score(mask(.email)) - 6.0) < 1e-9)
        // 1 − 0.40 × 0.79 × 0.95 × 0.85 = 0.74483
        #expect(abs(meta.score(mask(.email, .ipAddress, .userAgent, .fbp)) - 7.4483) < 1e-9)
        // a first name alone is not the "name" signal; with the last name it is
        #expect(meta.score(mask(.email, .firstName)) == meta.score(mask(.email)))
        #expect(abs(meta.score(mask(.email, .firstName, .lastName)) - 10 * (1 - 0.40 * 0.75)) < 1e-9)
        // fbclid counts as the click id (the Meta destination builds fbc from it)
        #expect(meta.score(mask(.fbclid)) == meta.score(mask(.fbc)))
        #expect(meta.score(mask(.fbclid, .fbc)) == meta.score(mask(.fbc)))
        let all = IdentifierSet(mask: meta.keys.mask).mask
        #expect(meta.score(all) > 9.5 && meta.score(all) < 10)
    }

    @Test("TikTok: the weighted average of match-key coverage, as TikTok documents it")
    func tiktok() {
        let tiktok = MatchQualityModel.tiktok
        #expect(abs(tiktok.score(mask(.email, .phone, .ipAddress, .userAgent)) - 5.5) < 1e-9)
        #expect(abs(tiktok.score(mask(.ttclid, .email, .phone, .externalID, .ipAddress, .userAgent)) - 10) < 1e-9)
        #expect(tiktok.score(mask(.fbc)) == 0)
    }

    @Test("adding a signal never lowers a score, for every platform with a model")
    func monotone() {
        for platform in Platform.allCases {
            guard let model = MatchQualityModel.for(platform) else {
                #expect(platform == .ga4)
                continue
            }
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<200 {
                let base = Int64.random(in: 0..<(1 << 24), using: &rng)
                let key = IdentifierKey.allCases.randomElement(using: &rng) ?? .email
                #expect(model.score(base | key.bit) >= model.score(base))
                #expect(model.score(base) >= 0 && model.score(base) <= 10)
            }
        }
    }

    @Test("sandbox and webhook destinations have no score; ad platforms do")
    func destinations() {
        #expect(ReportDestination(name: "sandbox", kind: "sandbox", platform: .meta).model == nil)
        #expect(ReportDestination(name: "hook", kind: "webhook", platform: .meta).model == nil)
        #expect(ReportDestination(name: "meta-eu", kind: "meta", platform: .meta).model == .meta)
        #expect(ReportDestination(name: "ga", kind: "ga4", platform: .ga4).model == nil)
    }
}

@Suite("Latency histogram")
struct LatencyHistogramTests {
    @Test("exact below 128 ms; above, the bucket's lower bound, less than 1.6 % low")
    func precision() {
        for value: Int64 in [0, 1, 127, 128, 129, 255, 256, 1000, 2000, 4000, 65_537, 3_600_000, 86_400_000] {
            var histogram = LatencyHistogram()
            histogram.record(value)
            let p = histogram.percentile(0.5) ?? -1
            #expect(p <= value)
            #expect(Double(value - p) <= Double(value) / 64)
            if value < 128 { #expect(p == value) }
        }
        var negative = LatencyHistogram()
        negative.record(-5)
        #expect(negative.percentile(0.99) == 0)
    }

    @Test("nearest-rank percentiles, and merging equals recording everything")
    func percentiles() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for v in 1...60 { a.record(Int64(v)) }
        for v in 61...100 { b.record(Int64(v)) }
        var merged = a
        merged.merge(b)
        var all = LatencyHistogram()
        for v in 1...100 { all.record(Int64(v)) }
        #expect(merged == all)
        #expect(all.percentile(0.50) == 50)
        #expect(all.percentile(0.95) == 95)
        #expect(all.percentile(0.99) == 99)
        #expect(LatencySummary(all) == LatencySummary(p50: 50, p95: 95, p99: 99, count: 100))
        #expect(LatencySummary(LatencyHistogram()) == nil)
    }
}
