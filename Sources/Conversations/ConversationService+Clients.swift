import Foundation
import Logging
import SupportCore

extension ConversationService {
    /// The client a token belongs to (nil when unknown or revoked), for channels that check a
    /// token per request rather than per session: the web channel's analytics API.
    public func client(forToken token: String, logger: Logger) async throws(RequestError) -> Client? {
        guard !token.isEmpty else { return nil }
        let store = self.store
        return try await withStore(logger: logger) { try await store.authenticate(token: token) }
    }

    /// Creates a customer for one anonymous web visitor (`web-` and 24 random hex digits) and
    /// returns its name and token; the widget keeps the token in the visitor's browser storage.
    public func registerVisitor(logger: Logger) async throws(RequestError) -> (name: String, token: String) {
        var generator = SystemRandomNumberGenerator()
        let suffix = (0..<3).map { _ in String(format: "%08x", generator.next() as UInt32) }.joined()
        let name = "web-\(suffix)"
        let store = self.store
        let token = try await withStore(logger: logger) { try await store.createClient(name: name, role: .customer) }
        logger.info("client.visitor.registered", metadata: ["client.name": "\(name)"])
        return (name, token)
    }
}
