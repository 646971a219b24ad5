// Benchmark server (2) of bench/server: SupportBot's real protocol server with token auth and
// the durable store (SQLite, synchronous=FULL, group commit), but a constant responder, so the
// figure is protocol + store overhead without the assistant. Bench-only: not a product flag.
// Usage: bench-constant-server PORT STATE_DIR   (prints the client token on stdout)
import Conversations
import Foundation
import Logging
import Server
import ServiceLifecycle
import Store
import SupportCore
import UnixSignals

struct ConstantResponder: ChatResponder {
    func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer {
        ChatAnswer(
            text: "You can track your order at https://ridgeline.example/account/orders.",
            route: .canned, intent: "order_status", confidence: 0.97
        )
    }
}

@main
struct ConstantServer {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let port = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: bench-constant-server PORT STATE_DIR\n".utf8))
            exit(2)
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let state = URL(fileURLWithPath: arguments[2])
        let store = try SQLiteStore.open(directory: state, logger: logger)
        let token = try await store.createClient(name: "bench-\(UUID().uuidString.prefix(8))", role: .customer)
        FileHandle.standardOutput.write(Data((token + "\n").utf8))
        let (certificates, _) = try DevCertificates.loadOrCreate(in: state.appendingPathComponent("tls"))
        let configuration = ServerConfiguration(
            port: port,
            tls: .init(certificateChainPEM: certificates.serverCertificatePEM, privateKeyPEM: certificates.serverPrivateKeyPEM),
            limits: {
                var limits = ServerConfiguration.Limits()
                limits.ratePerSecond = 1_000_000
                limits.rateBurst = 1_000_000
                // Every bench client comes from 127.0.0.1: lift the per-address caps (PeerGuard)
                // so that the 1,000 idle connections measure memory, not the caps.
                limits.maxHandshakesPerAddress = 4096
                limits.maxConnectionsPerAddress = 4096
                return limits
            }()
        )
        let service = ConversationService(
            store: store, responder: ConstantResponder(), configuration: ConversationServiceConfiguration(requireAuth: true),
            logger: logger
        )
        let server = try ChatServer(configuration: configuration, service: service, logger: logger) { _ in
            FileHandle.standardError.write(Data("constant server listening on 127.0.0.1:\(port)\n".utf8))
        }
        try await ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }
}
