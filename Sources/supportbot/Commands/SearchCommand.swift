import ArgumentParser
import Content
import Foundation
import Retrieval
import Server

/// `supportbot search`: stdin queries in, ranked FAQ entries out.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the FAQ knowledge base with stdin queries.",
        discussion:
            #"Prints one JSON line per query: {"query","confident","confidence","results":[{"id","title","file","score"}]}; with --text, a readable list."#
    )

    @Option(help: "Folder of FAQ files.")
    var faqs = "faqs"

    @Option(help: "Results per query.")
    var top = 5

    @Flag(help: "JSON lines (the default).")
    var json = false

    @Flag(help: "Readable output instead of JSON lines.")
    var text = false

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        guard !(json && text) else { throw ValidationError("--json and --text exclude each other") }
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let embedder = try encoder.load(logger: logger)
        let knowledge = KnowledgeBase(
            directory: URL(fileURLWithPath: faqs), embedder: embedder, configuration: RetrievalConfiguration(), logger: logger
        )
        let report = await knowledge.reload()
        for error in report.errors {
            Terminal.note("skipped: \(error)")
        }
        let index = knowledge.current
        for query in Setup.standardInputLines() where !query.isEmpty {
            let result = index.search(query, limit: top)
            if text {
                Terminal.output(
                    "\(query)  (confidence \(String(format: "%.2f", result.confidence))\(result.isConfident ? "" : ", no good match"))"
                )
                for (rank, hit) in result.hits.enumerated() {
                    Terminal.output(String(format: "  %d. %.3f  %@  (%@)", rank + 1, hit.score, hit.entry.question, hit.entry.id))
                }
                continue
            }
            var object = JSONObject()
            object.field("query", query)
            object.field("confident", result.isConfident)
            object.field("confidence", (result.confidence * 10_000).rounded() / 10_000)
            object.field(
                "results",
                raw: "["
                    + result.hits.map { hit in
                        var entry = JSONObject()
                        entry.field("id", hit.entry.id)
                        entry.field("title", hit.entry.question)
                        entry.field("file", hit.entry.file)
                        entry.field("score", (hit.score * 10_000).rounded() / 10_000)
                        return entry.text
                    }.joined(separator: ",") + "]")
            Terminal.output(object.text)
        }
    }
}
