import Content
import Foundation
import Generation
import Logging
import Retrieval
import Synchronization
import TestSupport

/// Shared pieces for the generation tests: the repository's sample FAQs with a lexical index,
/// and decoding of recorded responses with Foundation's JSONSerialization (independent of the
/// generator's own decoder).
enum GenerationFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let entries: [FAQEntry] = FAQLoader(directory: repositoryRoot.appendingPathComponent("faqs")).load().entries

    static let index = FAQIndex(entries: entries, embedder: nil, embeddingCache: nil, configuration: RetrievalConfiguration())

    static func hits(_ question: String, limit: Int = 3) -> [FAQHit] {
        index.search(question, limit: limit).hits
    }

    static let logger = Logger(label: "test.generation", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The answer pieces in a recorded event stream, in order (empty pieces skipped).
    static func contents(of recording: RecordedResponses.Recording) -> [String] {
        recording.chunks.flatMap { chunk in
            chunk.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("data: "), line != "data: [DONE]",
                    let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any],
                    let choice = (object["choices"] as? [[String: Any]])?.first,
                    let delta = choice["delta"] as? [String: Any],
                    let content = delta["content"] as? String, !content.isEmpty
                else { return nil }
                return content
            }
        }
    }

    /// Collects streamed pieces across tasks.
    final class DeltaLog: Sendable {
        private let pieces = Mutex<[String]>([])
        var all: [String] { pieces.withLock { $0 } }
        func append(_ piece: String) { pieces.withLock { $0.append(piece) } }
    }
}
