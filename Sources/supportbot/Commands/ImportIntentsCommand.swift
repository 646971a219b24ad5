import ArgumentParser
import Content
import Foundation

/// `supportbot import-intents`: turn a labelled CSV (text,label) into intents files.
struct ImportIntentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-intents",
        abstract: "Write intents files from a labelled CSV (columns text,label).",
        discussion: """
            Each label becomes one file OUT/NAME.yml with `route: faq` (answered from the help \
            center; add canned answers later). Labels are made into valid intent names (reported), \
            repeated examples within a label are dropped and an example under two labels is \
            reported with both lines. Labels `oos`/`out_of_scope` become out_of_scope examples. \
            The written folder is then loaded as `train` would load it.
            """
    )

    @Argument(help: "The CSV file: a header row with `text` and `label` columns.")
    var file: String

    @Option(help: "Folder to write the intents files into (created when missing).")
    var out = "intents"

    @Flag(help: "Overwrite intents files that already exist in the folder.")
    var force = false

    @Option(help: "Show at most this many warnings (0 for all).")
    var maxWarnings = 20

    func run() throws {
        let source = URL(fileURLWithPath: file)
        let result: IntentImporter.Result
        do {
            result = try IntentImporter().read(contentsOf: source, file: file)
        } catch {
            throw CLIError("cannot import \(file): \(error)")
        }
        guard !result.intents.isEmpty else { throw CLIError("\(file) has no labelled rows; nothing to import") }
        let folder = URL(fileURLWithPath: out)
        let targets = result.intents.map { folder.appendingPathComponent("\($0.name).yml") }
        let existing = targets.filter { FileManager.default.fileExists(atPath: $0.path) }
        if !existing.isEmpty, !force {
            let names = existing.prefix(5).map(\.lastPathComponent).joined(separator: ", ")
            throw CLIError(
                "\(existing.count) file\(existing.count == 1 ? "" : "s") already exist in \(out) (\(names)\(existing.count > 5 ? ", …" : "")); pass --force to overwrite, or --out another folder"
            )
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (intent, target) in zip(result.intents, targets) {
                try IntentImporter().yaml(for: intent).write(to: target, atomically: true, encoding: .utf8)
            }
        } catch {
            throw CLIError("cannot write the intents files into \(out): \(error.localizedDescription)")
        }
        for (label, name) in result.renamed {
            Terminal.note("renamed: label \"\(label)\" → intent `\(name)`")
        }
        let shown = maxWarnings == 0 ? result.warnings[...] : result.warnings.prefix(maxWarnings)
        for warning in shown { Terminal.note("warning: \(warning)") }
        if shown.count < result.warnings.count {
            Terminal.note("warning: … and \(result.warnings.count - shown.count) more (--max-warnings 0 shows all)")
        }
        let examples = result.intents.reduce(0) { $0 + $1.examples.count }
        print("wrote \(result.intents.count) intents (\(examples) examples) to \(out); \(result.warnings.count) warnings")
        do {
            let set = try IntentLoader(directory: folder, displayName: out).load()
            print(
                "\(out) loads: \(set.intents.count) intents, \(set.outOfScopeExamples.count) out-of-scope examples; next: supportbot train --intents \(out)"
            )
        } catch {
            throw CLIError("the files were written but \(out) does not load yet; fix these:\n\(error)")
        }
    }
}
