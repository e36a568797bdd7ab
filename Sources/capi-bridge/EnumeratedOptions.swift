import ArgumentParser
import BridgeCore
import BridgeServer

// The enumerated values that options take: parsed by swift-argument-parser,
// listed in `--help` and offered by `--generate-completion-script`. A wrong
// value exits 64 with the list of valid ones.

extension Platform: ExpressibleByArgument {}
extension CustomerField: ExpressibleByArgument {}
extension ReportPeriod: ExpressibleByArgument {}
extension ReportBreakdown: ExpressibleByArgument {}
extension MatchQualityReporting.Format: ExpressibleByArgument {}
