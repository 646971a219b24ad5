import Assistant
import Foundation
import Reports
import Store
import WebChannel

/// The report behind the web channel's analytics page: the `report` command's JSON over the
/// serving store, clustered with the serving encoder and checked against the serving classifier.
struct AnalyticsSource: Sendable {
    let store: any ManagedConversationStore
    let assembled: AssembledAssistant

    var reporter: AnalyticsReporter {
        let store = self.store
        let embedder = assembled.embedder
        let runtime = assembled.runtime
        return { since, until in
            let configuration = ReportConfiguration()
            let accumulator = try await store.reduceReportTurns(
                since: since, until: until, into: ReportAccumulator(since: since, until: until, configuration: configuration)
            ) { accumulator, turn in
                accumulator.add(turn)
            }
            let builder = ReportBuilder(
                configuration: configuration, embedder: embedder, classifier: runtime.current.classifier)
            let report = try builder.build(accumulator)
            return String(decoding: try report.jsonData(), as: UTF8.self)
        }
    }
}
