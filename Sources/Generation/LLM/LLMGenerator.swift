import AsyncHTTPClient
import Logging
import NIOCore
import Retrieval
import SupportCore
import Synchronization

/// Answers with an OpenAI-compatible chat-completions endpoint, streaming the answer as it is
/// written, and falls back to the grounded composer whenever the LLM cannot be trusted to
/// answer: an error, a timeout, an unreachable server, a cut-off answer, or an answer that cites
/// no given source. A concurrency limit and a circuit breaker keep a slow or dead endpoint from
/// adding latency: extra requests and requests while the breaker is open go straight to the
/// composer. The returned answer says which generator produced it.
public final class LLMGenerator: AnswerGenerator {
    public let configuration: LLMConfiguration
    let fallback: GroundedComposer
    let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    let logger: Logger
    let prompt: PromptBuilder
    let endpoint: Result<String, LLMFailure>
    private let admission: Mutex<Admission>

    /// Requests in flight and the breaker, guarded together.
    private struct Admission {
        var inFlight = 0
        var breaker: CircuitBreaker
    }

    /// A generator for `configuration`, falling back to `fallback`. Without `httpClient` it
    /// creates its own client, set up so that a refused connection fails at once (no
    /// connection retries until the deadline, as the shared client does), with
    /// `configuration.connectTimeout` and no redirects (the API key must not follow one);
    /// that client is closed by `shutdown()`, which must then be called once at the end. A
    /// client passed in stays the caller's.
    public init(
        configuration: LLMConfiguration, fallback: GroundedComposer = GroundedComposer(),
        httpClient: HTTPClient? = nil, logger: Logger
    ) {
        self.configuration = configuration
        self.fallback = fallback
        if let httpClient {
            self.httpClient = httpClient
            self.ownsHTTPClient = false
        } else {
            var clientConfiguration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .nanoseconds(Self.nanoseconds(configuration.connectTimeout))))
            clientConfiguration.connectionPool.retryConnectionEstablishment = false
            self.httpClient = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration,
                backgroundActivityLogger: logger)
            self.ownsHTTPClient = true
        }
        self.logger = logger
        self.prompt = PromptBuilder(
            maxSourceCharacters: configuration.maxSourceCharacters, useSystemRole: configuration.useSystemRole)
        self.endpoint = Result { () throws(LLMFailure) in try configuration.endpoint() }
        self.admission = Mutex(
            Admission(
                breaker: CircuitBreaker(
                    failureThreshold: configuration.failureThreshold, openDuration: configuration.openDuration)))
    }

    /// Closes the HTTP client the generator created (nothing when one was passed in). Call
    /// once, after the last `generate`.
    public func shutdown() async {
        guard ownsHTTPClient else { return }
        do {
            try await httpClient.shutdown()
        } catch {
            logger.warning("llm.shutdown_failed", metadata: ["error": "\(error)"])
        }
    }

    /// The circuit breaker's current state (for status output and tests).
    public var breakerState: CircuitBreaker.State {
        admission.withLock { $0.breaker.state }
    }

    public func generate(
        question: String, hits: [FAQHit], onDelta: @Sendable (String) async -> Void
    ) async -> GeneratedAnswer {
        let sources = Array(hits.prefix(max(1, configuration.maxSources)))
        guard !sources.isEmpty else { return fallback.compose(question: question, hits: hits) }
        if let rejection = admit() {
            return fallBack(question: question, hits: hits, because: rejection)
        }
        var outcome = CircuitBreaker.Outcome.abandoned
        defer { release(outcome) }
        // Only checked text reaches `onDelta` (`SentenceGate`): what the customer reads is what
        // the reply says, or, when the answer is rejected, nothing.
        let gate = GateBox(SentenceGate(sourceCount: sources.count))
        do throws(LLMFailure) {
            let completion: LLMCompletion
            do throws(LLMFailure) {
                completion = try await complete(question: question, sources: sources) { piece in
                    let checked = gate.take(piece)
                    if !checked.isEmpty { await onDelta(checked) }
                }
            } catch {
                // The stream broke off; a grounded answer already shown stays the answer.
                guard let shown = answer(shownBy: gate, sources: sources, cutShort: error) else { throw error }
                if error.code.isInfrastructure { outcome = .failure }
                return shown
            }
            outcome = .success
            let truncated = completion.finishReason == "length"
            let tail = gate.finish(complete: !truncated)
            if !tail.isEmpty { await onDelta(tail) }
            let cut: LLMFailure? =
                truncated ? LLMFailure(.truncated, "the answer reached max_tokens (\(configuration.maxTokens))") : gate.stopped
            if let shown = answer(shownBy: gate, sources: sources, cutShort: cut) { return shown }
            if let cut { throw cut }
            _ = try CitationValidator.validate(completion.text, sourceCount: sources.count)
            throw LLMFailure(.noCitation, "the answer cites no source")
        } catch {
            if error.code.isInfrastructure {
                outcome = .failure
            } else if error.code == .cancelled {
                outcome = .abandoned
            }
            return fallBack(question: question, hits: hits, because: error)
        }
    }

    /// The model's raw answer to `question` from `sources`, streamed to `onDelta`, without
    /// citation checks, admission control or fallback: what `generate` builds on, and what
    /// benchmarks and integration tests measure.
    public func complete(
        question: String, sources: [FAQHit], onDelta: @Sendable (String) async -> Void
    ) async throws(LLMFailure) -> LLMCompletion {
        let url = try endpoint.get()
        let request = ChatCompletionWire.Request(
            model: configuration.model,
            messages: prompt.messages(question: question, sources: sources),
            stream: true, temperature: configuration.temperature, maxTokens: configuration.maxTokens,
            stop: configuration.stop.isEmpty ? nil : configuration.stop)
        return try await stream(request, to: url, onDelta: onDelta)
    }

    private func admit() -> LLMFailure? {
        let now = ContinuousClock.now
        return admission.withLock { state -> LLMFailure? in
            guard state.inFlight < configuration.maxConcurrent else {
                return LLMFailure(.busy, "\(state.inFlight) requests already in flight")
            }
            guard state.breaker.admit(now: now) else {
                return LLMFailure(.circuitOpen, "circuit breaker open after repeated failures")
            }
            state.inFlight += 1
            return nil
        }
    }

    private func release(_ outcome: CircuitBreaker.Outcome) {
        let now = ContinuousClock.now
        let (before, after) = admission.withLock { state in
            let before = state.breaker.state
            state.inFlight -= 1
            state.breaker.record(outcome, now: now)
            return (before, state.breaker.state)
        }
        if case .open = after, before != after {
            logger.warning("llm.circuit_opened", metadata: ["llm.open_seconds": "\(configuration.openDuration)"])
        } else if case .closed = after, before == .probing {
            logger.info("llm.circuit_closed")
        }
    }

    /// The answer the gate let through, when it is one (it cites a given source); `cutShort`
    /// says why the rest was not shown, for the logs.
    private func answer(shownBy gate: GateBox, sources: [FAQHit], cutShort: LLMFailure?) -> GeneratedAnswer? {
        let (text, grounded) = gate.shown
        guard grounded, let highest = try? CitationValidator.validate(text, sourceCount: sources.count) else { return nil }
        if let cutShort {
            logger.info("llm.answer_cut", metadata: ["llm.cut_reason": "\(cutShort.code)", "llm.detail": "\(cutShort.message)"])
        }
        logger.debug("llm.answered", metadata: ["llm.sources_cited": "\(highest)"])
        return GeneratedAnswer(
            text: text.trimmingWhitespace(), sources: Array(sources.prefix(highest)), generator: GeneratedAnswer.llm)
    }

    private func fallBack(question: String, hits: [FAQHit], because failure: LLMFailure) -> GeneratedAnswer {
        // Endpoint trouble is the operator's business; an unusable answer is routine.
        let level: Logger.Level = failure.code.isInfrastructure ? .warning : .info
        logger.log(
            level: level, "llm.fallback",
            metadata: ["llm.fallback_reason": "\(failure.code)", "llm.detail": "\(failure.message)"])
        var answer = fallback.compose(question: question, hits: hits)
        answer.fallbackReason = failure.code.rawValue
        return answer
    }
}

/// The model's raw answer: its text and why it stopped.
public struct LLMCompletion: Sendable, Equatable {
    public var text: String
    /// The OpenAI `finish_reason` (`stop`, `length`, …); nil when the server sent none.
    public var finishReason: String?

    public init(text: String, finishReason: String?) {
        self.text = text
        self.finishReason = finishReason
    }
}

/// A `SentenceGate` shared between the stream's callback and the generator.
final class GateBox: Sendable {
    private let gate: Mutex<SentenceGate>

    init(_ gate: SentenceGate) { self.gate = Mutex(gate) }

    func take(_ piece: String) -> String { gate.withLock { $0.take(piece) } }
    func finish(complete: Bool) -> String { gate.withLock { $0.finish(complete: complete) } }
    var stopped: LLMFailure? { gate.withLock { $0.stopped } }
    var shown: (text: String, grounded: Bool) { gate.withLock { ($0.released, $0.hasAnswer) } }
}
