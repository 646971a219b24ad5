import Foundation

// bench-retrieval: quality and speed measurements of the Retrieval module (see bench/faq-eval/run
// and bench/retrieval/run, which build this in release mode and add the Python peers).

let arguments = BenchArguments(Array(CommandLine.arguments.dropFirst()))
do {
    switch arguments.command {
    case "eval":
        try await QualityBench(arguments: arguments).run()
    case "latency":
        try await LatencyBench(arguments: arguments).run()
    case "reload":
        try await ReloadBench(arguments: arguments).run()
    case "large-file":
        try await LargeFileBench(arguments: arguments).run()
    case "explain":
        try RerankExplain(arguments: arguments).run()
    case "synthetic":
        try SyntheticCorpus.export(arguments: arguments)
    default:
        throw BenchError(
            "usage: bench-retrieval eval|latency|reload|large-file|synthetic [options]; see bench/faq-eval/run and bench/retrieval/run"
        )
    }
} catch {
    FileHandle.standardError.write(Data("bench-retrieval: \(error)\n".utf8))
    exit(1)
}
