import Classifier
import Foundation
import TestSupport
import Testing

/// The HTML evaluation report: escaped, script-free and self-contained, and rendered by a real
/// headless Chromium without console errors (Debian's `chromium`, installed by
/// `scripts/install-deps`; `make test` sets SUPPORTBOT_REQUIRE_BROWSER=1 so its absence fails).
@Suite("Evaluation HTML report")
struct EvaluationHTMLTests {
    static let hostile = "<script>alert('x')</script> & \"quotes\""

    static func evaluation() throws -> Evaluation {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)
        let test = [
            Evaluator.Example(text: "I forgot the password to my account", intent: "reset_password"),
            Evaluator.Example(text: "where is my parcel", intent: "track_order"),
            Evaluator.Example(text: "please cancel my subscription", intent: "cancel_subscription"),
            Evaluator.Example(text: "when do you open on saturday", intent: "opening_hours"),
            Evaluator.Example(text: "cancel my password", intent: "track_order"),
            Evaluator.Example(text: hostile, intent: "reset_password"),
            Evaluator.Example(text: "tell me a joke about dogs", intent: "out_of_scope"),
        ]
        return try Evaluator.evaluate(classifier, on: test)
    }

    @Test("every section is there, text is escaped, and there is no script or external resource")
    func structure() throws {
        let evaluation = try Self.evaluation()
        #expect(evaluation.outcomes.count == 7)
        let html = EvaluationHTML.render(evaluation, title: "fixture <intents>")
        for id in ["summary", "intents", "confusion", "histograms", "curve", "worst"] {
            #expect(html.contains("id=\"\(id)\""), "section \(id)")
        }
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(html.contains("fixture &lt;intents&gt;"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("threshold \(String(format: "%.3f", evaluation.threshold))"))
        #expect(html.contains("<svg role=\"img\""))
        #expect(html.contains("<caption>"))
    }

    static var chromium: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static var browserWanted: Bool {
        chromium != nil || ProcessInfo.processInfo.environment["SUPPORTBOT_REQUIRE_BROWSER"] == "1"
    }

    /// Runs Chromium headless on `page` with `arguments`; returns standard output and error.
    static func runChromium(_ arguments: [String], page: URL) throws -> (status: Int32, output: String, errors: String) {
        let browser = try #require(chromium, "chromium is not installed; run scripts/install-deps")
        let profile = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=\(profile.url.path)",
            ] + arguments + [page.absoluteString]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test("the report renders in headless Chromium with no console errors; a screenshot is kept", .enabled(if: browserWanted))
    func rendersInChromium() throws {
        let folder = try TemporaryDirectory()
        let page = folder.file("report.html")
        try EvaluationHTML.render(try Self.evaluation(), title: "fixture").write(to: page, atomically: true, encoding: .utf8)

        let dom = try Self.runChromium(["--dump-dom"], page: page)
        #expect(dom.status == 0)
        #expect(dom.output.contains("<table>") && dom.output.contains("<svg"))
        #expect(dom.output.contains("Worst examples"))
        let console = dom.errors.split(separator: "\n").filter { $0.contains("CONSOLE") }
        #expect(console.isEmpty, "console: \(console)")

        let artifacts = repositoryRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("evaluation-report.png")
        try? FileManager.default.removeItem(at: screenshot)
        let shot = try Self.runChromium(["--window-size=1200,2400", "--screenshot=\(screenshot.path)"], page: page)
        #expect(shot.status == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
        #expect(size > 10_000)
    }
}
