import Content
import Foundation
import Generation
import Retrieval
import Synchronization
import Testing

@testable import Generation

#if canImport(Glibc)
    import Glibc
#endif

/// The generator against a real OpenAI-compatible server: `make test-llm` starts llama.cpp's
/// server with Gemma 3 270M and sets SUPPORTBOT_LLM_URL (and SUPPORTBOT_LLM_SERVER_SCRIPT, for
/// the test that starts and kills a server of its own). Skipped when SUPPORTBOT_LLM_URL is unset.
/// The model is tiny and not instruction-tuned: these tests check plumbing and guardrails.
@Suite("LLMIntegration", .serialized, .enabled(if: LLMEnvironment.url != nil, "set SUPPORTBOT_LLM_URL (make test-llm)"))
struct LLMIntegrationTests {
    typealias Fixture = GenerationFixture
    static let url = LLMEnvironment.url
    static let serverScript = LLMEnvironment.serverScript
    static let questions = [
        "Do gift cards expire?", "How long does shipping take?", "Can I return a gift?", "How do I wash a down sleeping bag?",
    ]

    /// Settings for Gemma under llama-cpp-python: its `gemma` chat format has no system role,
    /// and a blank line ends the (echoing) base model's answer.
    static func configuration(url: String, _ change: (inout LLMConfiguration) -> Void = { _ in }) -> LLMConfiguration {
        var configuration = LLMConfiguration(url: url, timeout: .seconds(60))
        configuration.useSystemRole = false
        configuration.temperature = 0
        configuration.stop = ["\n\n"]
        configuration.maxTokens = 200
        change(&configuration)
        return configuration
    }

    static func withGenerator<T>(_ configuration: LLMConfiguration, _ body: (LLMGenerator) async throws -> T) async throws -> T {
        let generator = LLMGenerator(configuration: configuration, logger: Fixture.logger)
        do {
            let result = try await body(generator)
            await generator.shutdown()
            return result
        } catch {
            await generator.shutdown()
            throw error
        }
    }

    @Test(
        "what streams is only checked text: an llm reply is exactly its deltas, a fallback had none, and no delta echoes the prompt",
        arguments: questions)
    func streamsOnlyCheckedText(question: String) async throws {
        let url = try #require(Self.url)
        let hits = Fixture.hits(question)
        // Without the stop sequence the base model runs on into its prompt: the case that used
        // to stream the prompt's text to the customer before falling back.
        for configuration in [Self.configuration(url: url), Self.configuration(url: url) { $0.stop = [] }] {
            let deltas = Fixture.DeltaLog()
            let answer = try await Self.withGenerator(configuration) { generator in
                await generator.generate(question: question, hits: hits) { deltas.append($0) }
            }
            let streamed = deltas.all.joined()
            // The model answered (whatever the checks then made of it).
            #expect(answer.fallbackReason != LLMFailure.Code.unreachable.rawValue)
            #expect(answer.fallbackReason != LLMFailure.Code.badResponse.rawValue)
            if answer.generator == GeneratedAnswer.llm {
                #expect(answer.text == streamed.trimmingCharacters(in: .whitespacesAndNewlines))
                let cited = CitationValidator.citations(in: answer.text)
                #expect(!cited.isEmpty && cited.allSatisfy { (1...hits.count).contains($0) })
                #expect(answer.sources.map(\.entry.id) == hits.prefix(cited.max() ?? 0).map(\.entry.id))
            } else {
                #expect(streamed.isEmpty, "fell back (\(answer.fallbackReason ?? "?")) after streaming: \(streamed)")
            }
            #expect(!SentenceGate.echoesPrompt(streamed))
        }
    }

    @Test("the generator shows exactly what the sentence gate accepts of the raw answer", arguments: questions)
    func validationMatchesRawOutput(question: String) async throws {
        let url = try #require(Self.url)
        let hits = Fixture.hits(question)
        let (raw, answer) = try await Self.withGenerator(Self.configuration(url: url)) { generator in
            let raw = try await generator.complete(question: question, sources: hits) { _ in }
            return (raw, await generator.generate(question: question, hits: hits) { _ in })
        }
        let verdict = SentenceGate.verdict(raw: raw.text, finishReason: raw.finishReason, sourceCount: hits.count)
        var expectedReason: String?
        if !verdict.grounded {
            if raw.finishReason == "length" {
                expectedReason = LLMFailure.Code.truncated.rawValue
            } else if let stop = verdict.stop {
                expectedReason = stop.code.rawValue
            } else {
                do {
                    _ = try CitationValidator.validate(raw.text, sourceCount: hits.count)
                    expectedReason = LLMFailure.Code.noCitation.rawValue
                } catch {
                    expectedReason = error.code.rawValue
                }
            }
        }
        #expect(answer.fallbackReason == expectedReason)
        if expectedReason == nil {
            #expect(answer.generator == GeneratedAnswer.llm)
            #expect(
                answer.text == verdict.shown.trimmingCharacters(in: .whitespacesAndNewlines), "temperature 0 is deterministic")
        } else {
            #expect(answer.text == GroundedComposer().compose(question: question, hits: hits).text)
        }
    }

    @Test("a stop sequence ends the answer with finish_reason stop; max_tokens with length, which falls back")
    func stopAndLength() async throws {
        let url = try #require(Self.url)
        let hits = Fixture.hits("How long does shipping take?")
        let stopped = try await Self.withGenerator(Self.configuration(url: url)) { generator in
            try await generator.complete(question: "How long does shipping take?", sources: hits) { _ in }
        }
        #expect(stopped.finishReason == "stop")
        #expect(!stopped.text.contains("\n\n"))
        let cut = try await Self.withGenerator(Self.configuration(url: url) { $0.maxTokens = 5 }) { generator in
            await generator.generate(question: "How long does shipping take?", hits: hits) { _ in }
        }
        #expect(cut.fallbackReason == LLMFailure.Code.truncated.rawValue)
        #expect(cut.generator == GeneratedAnswer.composer)
    }

    @Test("a deadline shorter than the answer falls back to the composer, and the server still answers afterwards")
    func timeoutFallsBack() async throws {
        let url = try #require(Self.url)
        let hits = Fixture.hits("How long does shipping take?")
        let long = Self.configuration(url: url) {
            $0.stop = []
            $0.maxTokens = 400
            $0.timeout = .milliseconds(300)
        }
        let answer = try await Self.withGenerator(long) { generator in
            await generator.generate(question: "How long does shipping take?", hits: hits) { _ in }
        }
        #expect(answer.fallbackReason == LLMFailure.Code.timeout.rawValue)
        #expect(answer.text == GroundedComposer().compose(question: "How long does shipping take?", hits: hits).text)
        let after = try await Self.withGenerator(Self.configuration(url: url)) { generator in
            try await generator.complete(question: "Do gift cards expire?", sources: hits) { _ in }
        }
        #expect(!after.text.isEmpty)
    }

    @Test(
        "a server killed mid-stream falls back; then the breaker opens and no request waits on the dead server",
        .enabled(if: LLMEnvironment.serverScript != nil, "set SUPPORTBOT_LLM_SERVER_SCRIPT"))
    func killedMidStream() async throws {
        let server = try OwnServer.start(script: try #require(Self.serverScript))
        defer { server.stop() }
        let hits = Fixture.hits("How long does shipping take?")
        let configuration = Self.configuration(url: server.url) {
            $0.stop = []
            $0.maxTokens = 400
            $0.failureThreshold = 2
            $0.openDuration = .seconds(600)
        }
        let deltas = Fixture.DeltaLog()
        let reasons = try await Self.withGenerator(configuration) { generator in
            var reasons: [String?] = []
            // Killed a second into a 400-token answer: mid-stream (only checked text reaches
            // the callback now, so the kill cannot wait for the first piece).
            let killer = Task {
                try? await Task.sleep(for: .seconds(1))
                server.kill()
            }
            let first = await generator.generate(question: "How long does shipping take?", hits: hits) { piece in
                deltas.append(piece)
            }
            await killer.value
            reasons.append(first.fallbackReason)
            for _ in 0..<3 {
                reasons.append(
                    await generator.generate(question: "How long does shipping take?", hits: hits) { _ in }.fallbackReason)
            }
            return reasons
        }
        // The cut answer fell back (nothing checked had been shown), or kept what was shown
        #expect(reasons.first == "bad_response" || (reasons.first == .some(nil) && !deltas.all.isEmpty), "\(reasons)")
        if reasons.first == "bad_response" { #expect(deltas.all.isEmpty) }
        #expect(Array(reasons.dropFirst()) == ["unreachable", "circuit_open", "circuit_open"])
    }
}

/// Where `make test-llm` says the server is.
enum LLMEnvironment {
    static let url = ProcessInfo.processInfo.environment["SUPPORTBOT_LLM_URL"]
    static let serverScript = ProcessInfo.processInfo.environment["SUPPORTBOT_LLM_SERVER_SCRIPT"]
}

/// A llama.cpp server of the test's own, started with scripts/llm/start-server so it can be killed.
final class OwnServer: Sendable {
    let url: String
    let pid: Int32
    private let pidFile: URL
    private let script: String

    struct StartFailed: Error, CustomStringConvertible {
        let description: String
    }

    private init(url: String, pid: Int32, pidFile: URL, script: String) {
        self.url = url
        self.pid = pid
        self.pidFile = pidFile
        self.script = script
    }

    static func start(script: String) throws -> OwnServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pidFile = directory.appendingPathComponent("server.pid")
        let (status, output) = try run(
            script, ["--pid-file", pidFile.path], outputFile: directory.appendingPathComponent("url.txt"))
        let url = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, !url.isEmpty,
            let pid = Int32(
                ((try? String(contentsOf: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw StartFailed(description: "\(script) exited with status \(status)")
        }
        return OwnServer(url: url, pid: pid, pidFile: pidFile, script: script)
    }

    /// Runs `path` with `arguments`, its standard output going to `outputFile`, and waits for it.
    /// (posix_spawn and waitpid: the script leaves a server running, which must not keep the
    /// call waiting.)
    static func run(_ path: String, _ arguments: [String], outputFile: URL) throws -> (Int32, String) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw StartFailed(description: "posix_spawn \(path) failed: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        return (exitStatus, (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "")
    }

    /// SIGKILL: the server dies without closing anything cleanly.
    func kill() {
        _ = Glibc.kill(pid, SIGKILL)
    }

    /// Stops the server if it still runs, and removes its files.
    func stop() {
        let directory = pidFile.deletingLastPathComponent()
        let stopScript = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("stop-server")
        _ = try? Self.run(stopScript.path, [pidFile.path], outputFile: directory.appendingPathComponent("stop.txt"))
        try? FileManager.default.removeItem(at: directory)
    }
}
