import Foundation
import Generation
import Logging

/// Placeholder filled in once the local server is running.
struct LLMBenchmark {
    let corpus: BenchCorpus
    let url: String
    let questions: Int
    let curl: String

    func run() async {}
}
