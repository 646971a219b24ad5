import Application
import ArgumentParser
import Conversations
import Foundation
import Generation
import Server
import Store
import WebChannel

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
    var intents = AssistantSetup().intentsDirectory.relativePath

    @Option(help: "Folder of FAQ files, watched for changes.")
    var faqs = AssistantSetup().faqsDirectory.relativePath

    @Option(help: "Folder for the database, trained model and development certificate.")
    var state = "state"

    @Option(
        help: ArgumentHelp(
            "The conversation database: sqlite:PATH or postgres://user:password@host:5432/db (add ?sslmode=require for TLS).",
            discussion:
                "Default: sqlite:STATE/supportbot.sqlite. Nodes serving one PostgreSQL database share conversations and handoffs.",
            valueName: "url"))
    var database: String?

    @Option(help: "Messages encoded in parallel (one thread each). Default: every core.")
    var encoderThreads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen = "\(ServerConfiguration.defaultHost):\(ServerConfiguration.defaultPort)"

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
    var idleTimeout = Self.defaultLimits.idleTimeout.components.seconds

    @Option(help: "Maximum simultaneous connections.")
    var maxConnections = Self.defaultLimits.maxConnections

    @Option(help: "Connections one IP address may have in TLS handshake at once; more are closed at once.")
    var maxHandshakesPerAddress = Self.defaultLimits.maxHandshakesPerAddress

    @Option(help: "Connections one IP address may have open at once; more are closed at once.")
    var maxConnectionsPerAddress = Self.defaultLimits.maxConnectionsPerAddress

    @Option(help: "Failed sign-ins one IP address may make per minute; beyond it its sign-ins get rate_limited.")
    var signInFailuresPerMinute = Self.defaultLimits.signInFailuresPerMinute

    @Option(help: "Seconds to let requests in progress finish on SIGTERM/SIGINT.")
    var shutdownGrace = Self.defaultApplication.shutdownGrace.components.seconds

    @Option(help: "Longest accepted line in bytes; a longer one gets line_too_long and the connection is closed.")
    var maxLineBytes = Self.defaultLimits.maxLineLength

    @Option(help: "Seconds a client has to complete the TLS handshake.")
    var handshakeTimeout = Self.defaultLimits.handshakeTimeout.components.seconds

    @Option(help: "Requests per second a connection may send, sustained; more get rate_limited.")
    var rate: Double = Self.defaultLimits.ratePerSecond

    @Option(help: "Requests a connection may send at once before --rate applies.")
    var rateBurst = Int(Self.defaultLimits.rateBurst)

    @Option(help: "Close a client whose output has not drained for this many seconds (it is not reading).")
    var writeStallTimeout = Self.defaultLimits.writeStallTimeout.components.seconds

    @Option(help: "Close a client that is sent more output while this many bytes are still unsent.")
    var maxPendingOutputBytes = Self.defaultLimits.maxPendingOutputBytes

    @Option(
        help:
            "Serve Prometheus metrics over plain HTTP at HOST:PORT/metrics, e.g. 127.0.0.1:9464 (no authentication: keep it on loopback or a private network). Default: off."
    )
    var metrics: String?

    @Flag(help: "Use synchronous=NORMAL: faster commits that a power loss may roll back (default FULL).")
    var relaxedDurability = false

    @Option(
        help:
            "OpenAI-compatible chat-completions endpoint for FAQ answers (llama.cpp, vLLM, Ollama, OpenAI), e.g. http://127.0.0.1:8080/v1. The API key, if any, is read from SUPPORTBOT_LLM_API_KEY. Default: the grounded composer only."
    )
    var llmUrl: String?

    @Option(help: "The `model` field sent to the LLM endpoint.")
    var llmModel = "default"

    @Option(help: "Seconds an LLM answer may take before the grounded composer answers instead.")
    var llmTimeout = LLMConfiguration(url: "").timeout.components.seconds

    @Flag(
        help:
            "Keep the head-only model: do not fine-tune the encoder in the background after (re)training."
    )
    var noFineTune = false

    @OptionGroup var webOptions: WebOptions
    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    private static let defaultLimits = ServerConfiguration.Limits()
    private static let defaultApplication = ApplicationConfiguration(
        server: ServerConfiguration(tls: .init(certificateChainPEM: "", privateKeyPEM: "")))

    func validate() throws {
        try DatabaseOptions.validateStateFolder(state)
        guard llmTimeout > 0 else { throw ValidationError("--llm-timeout must be at least 1 second") }
        guard idleTimeout > 0, handshakeTimeout > 0, writeStallTimeout > 0, shutdownGrace >= 0 else {
            throw ValidationError("--idle-timeout, --handshake-timeout and --write-stall-timeout must be at least 1 second")
        }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be at least 1") }
        guard maxHandshakesPerAddress > 0, maxConnectionsPerAddress > 0, signInFailuresPerMinute > 0 else {
            throw ValidationError(
                "--max-handshakes-per-address, --max-connections-per-address and --sign-in-failures-per-minute must be at least 1")
        }
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
        guard encoderThreads >= 1 else { throw ValidationError("--encoder-threads must be at least 1") }
        if let database {
            do {
                _ = try DatabaseLocation.parse(database)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let address = try ListenAddress(listen)
        let stateDirectory = URL(fileURLWithPath: state)
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)

        var limits = ServerConfiguration.Limits()
        limits.idleTimeout = .seconds(idleTimeout)
        limits.maxConnections = maxConnections
        limits.maxHandshakesPerAddress = maxHandshakesPerAddress
        limits.maxConnectionsPerAddress = maxConnectionsPerAddress
        limits.signInFailuresPerMinute = signInFailuresPerMinute
        limits.maxLineLength = maxLineBytes
        limits.handshakeTimeout = .seconds(handshakeTimeout)
        limits.ratePerSecond = rate
        limits.rateBurst = Double(rateBurst)
        limits.writeStallTimeout = .seconds(writeStallTimeout)
        limits.maxPendingOutputBytes = maxPendingOutputBytes
        let server = ServerConfiguration(
            host: address.host, port: address.port, tls: try loadTLS(stateDirectory: stateDirectory), limits: limits)

        var configuration = ApplicationConfiguration(server: server, stateDirectory: stateDirectory)
        configuration.assistant = AssistantSetup(
            intentsDirectory: URL(fileURLWithPath: intents), faqsDirectory: URL(fileURLWithPath: faqs),
            modelPath: stateDirectory.appendingPathComponent("model.sbm"), encoderDirectory: encoder.directory,
            encoderThreads: encoderThreads, encoderPrecision: encoder.precision)
        do {
            configuration.database = try database.map(DatabaseLocation.parse)
        } catch {
            throw CLIError("\(error)")
        }
        if relaxedDurability { configuration.store.synchronous = .normal }
        configuration.conversations.requireAuth = requireAuth && !allowAnonymous
        configuration.allowAnonymous = allowAnonymous
        configuration.metricsAddress = try metrics.map {
            let parsed = try ListenAddress($0)
            return (parsed.host, parsed.port)
        }
        configuration.llm = try makeLLMConfiguration()
        configuration.shutdownGrace = .seconds(shutdownGrace)
        if noFineTune { configuration.fineTuning = nil }
        configuration.web = try webOptions.configuration()

        let listenText = listen
        let metricsText = metrics
        let webText = webOptions.web
        let observer = SupportBotApplication.Observer(
            assistant: Setup.trainingObserver(),
            listening: { _ in
                Terminal.note("SupportBot is listening on \(listenText) (TLS). Try: openssl s_client -quiet -connect \(listenText)")
            },
            metricsListening: { _ in Terminal.note("Metrics at http://\(metricsText ?? "")/metrics") },
            webListening: { _ in
                let base = "https://\(webText ?? "")"
                Terminal.note(
                    "Web channel at \(base)/ (widget demo), \(base)/agent (agent inbox), \(base)/admin (analytics); WebSocket \(base)/ws"
                )
            }
        )
        do {
            try await SupportBotApplication.run(configuration, observer: observer, logger: logger)
        } catch let error as ApplicationError {
            throw CLIError(error.description)
        } catch let error as WebError {
            throw CLIError(error.description)
        }
    }

    /// The LLM configuration when `--llm-url` is given, checked, else nil.
    private func makeLLMConfiguration() throws -> LLMConfiguration? {
        guard let llmUrl else { return nil }
        let apiKey = ProcessInfo.processInfo.environment["SUPPORTBOT_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let configuration = LLMConfiguration(url: llmUrl, model: llmModel, apiKey: apiKey, timeout: .seconds(llmTimeout))
        do {
            _ = try configuration.endpoint()
        } catch {
            throw CLIError("--llm-url '\(llmUrl)' is not usable: \(error)")
        }
        Terminal.note(
            "FAQ answers from the LLM at \(llmUrl) (model \(llmModel)\(apiKey == nil ? "" : ", API key from SUPPORTBOT_LLM_API_KEY")); the grounded composer answers when it fails"
        )
        return configuration
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

    var isLoopback: Bool { ApplicationConfiguration.isLoopback(host) }
}
