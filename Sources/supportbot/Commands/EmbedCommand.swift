import Application
import ArgumentParser
import Encoder
import Foundation

/// `supportbot embed`: stdin lines in, one JSON array (the sentence embedding) per line out.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed stdin lines with the MiniLM sentence encoder (one JSON array per line)."
    )

    @Option(help: "Folder with the encoder weights.")
    var model = "models/minilm"

    @Option(help: "Lines embedded per encoder call.")
    var batch = 256

    @Option(help: "Cores the encoder spreads each call's batches over (default: every core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Number format of the matrix products: auto (bf16 where the CPU runs it natively, else fp32), fp32 or bf16.")
    var precision: EncoderPrecision = .auto

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be at least 1") }
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let directory = URL(fileURLWithPath: model)
        guard
            let encoder = try Setup.run({ () throws(ApplicationError) in
                try AssistantFactory.loadEncoder(
                    directory: directory, configuration: EncoderConfiguration(threads: threads, precision: precision),
                    logger: logger)
            })
        else {
            throw CLIError("no encoder weights in \(model); run scripts/fetch-encoder first")
        }
        var pending: [String] = []
        func flush() {
            for vector in encoder.embed(pending) {
                // Float's description is the shortest text that reads back as the same value.
                Terminal.output("[" + vector.map(\.description).joined(separator: ",") + "]")
            }
            pending.removeAll(keepingCapacity: true)
        }
        for line in Setup.standardInputLines() {
            pending.append(line)
            if pending.count == batch { flush() }
        }
        if !pending.isEmpty { flush() }
    }
}
