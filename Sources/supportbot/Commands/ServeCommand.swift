import ArgumentParser
import Assistant
import Foundation
import Generation
import Logging
import Retrieval
import Server
import ServiceLifecycle
import Store

/// `supportbot serve`: load content, train if needed, open the store, serve over TLS.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the chatbot over TLS (JSON lines and text mode).",
        discussion: """
            On first run this trains the intent classifier (saved in STATE/model.sbm and retrained \
            whenever intents/ changes) and, without --tls-cert/--tls-key, creates a development CA \
            and certificate in STATE/tls/ (clients verify with --ca STATE/tls/ca.pem).
            """
    )

    @Option(help: "Folder of intent definitions (YAML).")
    var intents = "intents"

    @Option(help: "Folder of FAQ files, watched for changes.")
    var faqs = "faqs"

    @Option(help: "Folder for the database, trained model and development certificate.")
    var state = "state"

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen = "127.0.0.1:7443"

    @Option(help: "Server certificate chain (PEM). Default: a development certificate in STATE/tls/.")
    var tlsCert: String?

    @Option(help: "Server private key (PEM).")
    var tlsKey: String?

    @Option(help: "Require client certificates signed by this CA (PEM).")
    var tlsClientCa: String?

    @Flag(help: "Require a token from every client, even on loopback.")
    var requireAuth = false

    @Flag(help: "Serve a non-loopback address without tokens (every connection is the client 'local').")
    var allowAnonymous = false

    @Option(help: "Close connections idle for this many seconds.")
    var idleTimeout = 300

    @Option(help: "Maximum simultaneous connections.")
    var maxConnections = 1_024

    @Option(help: "Seconds to let requests in progress finish on SIGTERM/SIGINT.")
    var shutdownGrace = 10

    @Option(help: "Longest accepted line in bytes; a longer one gets line_too_long and the connection is closed.")
    var maxLineBytes = 65_536

    @Option(help: "Seconds a client has to complete the TLS handshake.")
    var handshakeTimeout = 10

    @Option(help: "Requests per second a connection may send, sustained; more get rate_limited.")
    var rate: Double = 20

    @Option(help: "Requests a connection may send at once before --rate applies.")
    var rateBurst = 40

    @Option(help: "Close a client whose output has not drained for this many seconds (it is not reading).")
    var writeStallTimeout = 10

    @Option(help: "Close a client that is sent more output while this many bytes are still unsent.")
    var maxPendingOutputBytes = 4 * 1024 * 1024

    @Option(help: "Serve Prometheus metrics over plain HTTP at HOST:PORT/metrics, e.g. 127.0.0.1:9464 (no authentication: keep it on loopback or a private network). Default: off.")
    var metrics: String?

    @Flag(help: "Use synchronous=NORMAL: faster commits that a power loss may roll back (default FULL).")
    var relaxedDurability = false

    @Option(help: "OpenAI-compatible chat-completions endpoint for FAQ answers (llama.cpp, vLLM, Ollama, OpenAI), e.g. http://127.0.0.1:8080/v1. The API key, if any, is read from SUPPORTBOT_LLM_API_KEY. Default: the grounded composer only.")
    var llmUrl: String?

    @Option(help: "The `model` field sent to the LLM endpoint.")
    var llmModel = "default"

    @Option(help: "Seconds an LLM answer may take before the grounded composer answers instead.")
    var llmTimeout = 8

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard llmTimeout > 0 else { throw ValidationError("--llm-timeout must be at least 1 second") }
        guard idleTimeout > 0, handshakeTimeout > 0, writeStallTimeout > 0, shutdownGrace >= 0 else {
            throw ValidationError("--idle-timeout, --handshake-timeout and --write-stall-timeout must be at least 1 second")
        }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be at least 1") }
        guard maxLineBytes >= 1_024 else { throw ValidationError("--max-line-bytes must be at least 1024") }
        guard rate > 0, rate.isFinite, rateBurst >= 1 else {
            throw ValidationError("--rate must be above 0 and --rate-burst at least 1")
        }
        guard maxPendingOutputBytes >= 65_536 else { throw ValidationError("--max-pending-output-bytes must be at least 65536") }
        if let metrics { _ = try ListenAddress(metrics) }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        _ = try ListenAddress(listen)
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let address = try ListenAddress(listen)
        let stateDirectory = URL(fileURLWithPath: state)
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)

        let intentSet = try Setup.loadIntents(intents)
        let embedder = try encoder.load(logger: logger)
        let modelPath = stateDirectory.appendingPathComponent("model.sbm")
        let model = try Setup.loadOrTrain(intents: intentSet, embedder: embedder, modelPath: modelPath, logger: logger)
        let store = try Setup.openStore(state: state, relaxedDurability: relaxedDurability, logger: logger)

        let knowledge = KnowledgeBase(
            directory: URL(fileURLWithPath: faqs), embedder: embedder, configuration: RetrievalConfiguration(), logger: logger
        )
        let report = await knowledge.reload()
        for error in report.errors {
            logger.warning("FAQ file skipped", metadata: ["error": "\(error)"])
        }

        let tls = try loadTLS(stateDirectory: stateDirectory)
        let hasTokens = try await store.hasActiveTokens()
        let mustAuthenticate = requireAuth || !address.isLoopback
        if !address.isLoopback, !hasTokens, !allowAnonymous {
            throw CLIError(
                "refusing to serve \(listen) without tokens: create one with 'supportbot token create NAME', or pass --allow-anonymous"
            )
        }

        var limits = ServerConfiguration.Limits()
        limits.idleTimeout = .seconds(idleTimeout)
        limits.maxConnections = maxConnections
        limits.maxLineLength = maxLineBytes
        limits.handshakeTimeout = .seconds(handshakeTimeout)
        limits.ratePerSecond = rate
        limits.rateBurst = Double(rateBurst)
        limits.writeStallTimeout = .seconds(writeStallTimeout)
        limits.maxPendingOutputBytes = maxPendingOutputBytes
        let configuration = ServerConfiguration(
            host: address.host, port: address.port, tls: tls,
            limits: limits, requireAuth: mustAuthenticate && !allowAnonymous
        )
        let runtime = IntentRuntime(.init(intents: intentSet, classifier: model))
        let llm = try makeLLMGenerator(logger: logger)
        let assistant = Assistant(
            intents: runtime, knowledge: knowledge, generator: llm ?? GroundedComposer(),
            embeddings: embedder.map { EmbeddingQueue(embedder: $0) }, logger: logger)
        let retrainer = IntentRetrainer(
            directory: URL(fileURLWithPath: intents), runtime: runtime, embedder: embedder, modelPath: modelPath, logger: logger
        )
        let listenText = listen
        let serverMetrics = ServerMetrics()
        let server = try ChatServer(
            configuration: configuration, store: store, responder: assistant, logger: logger, metrics: serverMetrics
        ) { _ in
            Terminal.note("SupportBot is listening on \(listenText) (TLS). Try: openssl s_client -quiet -connect \(listenText)")
        }
        // Services shut down in reverse order: metrics stay up while connections drain.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metricsService = try makeMetricsServer(metrics: serverMetrics, logger: logger) {
            services.append(.init(service: metricsService))
        }
        services += [
            .init(service: server),
            .init(service: KnowledgeWatcherService(knowledge: knowledge)),
            .init(service: IntentWatcherService(retrainer: retrainer)),
        ]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(shutdownGrace)
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            await llm?.shutdown()
            throw error
        }
        await llm?.shutdown()
        // SQLiteStore has no close method: its connections close when the store is released as
        // `serve` returns. Every reply was sent only after its commit, so nothing is pending here.
        logger.info("server stopped; store released")
    }

    /// The Prometheus endpoint when `--metrics` is given, else nil.
    private func makeMetricsServer(metrics serverMetrics: ServerMetrics, logger: Logger) throws -> MetricsServer? {
        guard let metrics else { return nil }
        let address = try ListenAddress(metrics)
        if !address.isLoopback {
            logger.warning("the metrics endpoint has no authentication and listens off loopback", metadata: ["address": "\(metrics)"])
        }
        let metricsText = metrics
        return MetricsServer(host: address.host, port: address.port, metrics: serverMetrics, logger: logger) { _ in
            Terminal.note("Metrics at http://\(metricsText)/metrics")
        }
    }

    /// The LLM generator when `--llm-url` is given (falling back to the grounded composer on
    /// any failure), else nil.
    private func makeLLMGenerator(logger: Logger) throws -> LLMGenerator? {
        guard let llmUrl else { return nil }
        let apiKey = ProcessInfo.processInfo.environment["SUPPORTBOT_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let configuration = LLMConfiguration(url: llmUrl, model: llmModel, apiKey: apiKey, timeout: .seconds(llmTimeout))
        do {
            _ = try configuration.endpoint()
        } catch {
            throw CLIError("--llm-url '\(llmUrl)' is not usable: \(error)")
        }
        Terminal.note("FAQ answers from the LLM at \(llmUrl) (model \(llmModel)\(apiKey == nil ? "" : ", API key from SUPPORTBOT_LLM_API_KEY")); the grounded composer answers when it fails")
        return LLMGenerator(configuration: configuration, logger: logger)
    }

    private func loadTLS(stateDirectory: URL) throws -> ServerConfiguration.TLS {
        let clientCA = try tlsClientCa.map { try readFile($0, what: "client CA") }
        if let tlsCert, let tlsKey {
            return .init(
                certificateChainPEM: try readFile(tlsCert, what: "certificate"),
                privateKeyPEM: try readFile(tlsKey, what: "private key"), clientCAPEM: clientCA
            )
        }
        let directory = stateDirectory.appendingPathComponent("tls")
        let (certificates, created) = try DevCertificates.loadOrCreate(in: directory)
        Terminal.note(
            "\(created ? "Created" : "Using") development certificate \(directory.path)/server.pem\n"
                + "  SHA-256 fingerprint \(certificates.serverFingerprint)\n"
                + "  clients verify it with --ca \(directory.path)/ca.pem"
        )
        return .init(
            certificateChainPEM: certificates.serverCertificatePEM, privateKeyPEM: certificates.serverPrivateKeyPEM,
            clientCAPEM: clientCA
        )
    }

    private func readFile(_ path: String, what: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIError("cannot read the \(what) file '\(path)': \(error.localizedDescription)")
        }
    }
}

/// Runs the knowledge base's folder watcher as a service that stops on graceful shutdown.
struct KnowledgeWatcherService: Service {
    let knowledge: KnowledgeBase

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await knowledge.run()
            }
        } catch is CancellationError {
            // Graceful shutdown cancels the watcher: the expected way for it to end.
        }
    }
}

/// Retrains the classifier live when `intents/` changes, until graceful shutdown.
struct IntentWatcherService: Service {
    let retrainer: IntentRetrainer

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await retrainer.run()
        }
    }
}

/// A `HOST:PORT` argument (`[::1]:7443` for IPv6).
struct ListenAddress {
    var host: String
    var port: Int

    init(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port)
        else {
            throw ValidationError("'\(text)' is not HOST:PORT (for example 127.0.0.1:7443)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("'\(text)' has no host") }
        self.host = host
        self.port = port
    }

    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
