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
    var batch = 64

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be at least 1") }
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let directory = URL(fileURLWithPath: model)
        guard
            let encoder = try Setup.run({ () throws(ApplicationError) in
                try AssistantFactory.loadEncoder(directory: directory, logger: logger)
            })
        else {
            throw CLIError("no encoder weights in \(model); run scripts/fetch-encoder first")
        }
        var pending: [String] = []
        func flush() {
            for vector in encoder.embed(pending) {
                Terminal.output("[" + vector.map { String(format: "%.7g", $0) }.joined(separator: ",") + "]")
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
