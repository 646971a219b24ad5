import Foundation
import Logging
import SupportCore
import Synchronization

/// The sessions authenticated as each client, by mailbox number.
final class LiveClients: Sendable {
    private let sessions = Mutex<[String: [UInt64: EventMailbox]]>([:])

    func add(_ client: String, _ mailbox: EventMailbox) {
        sessions.withLock { $0[client, default: [:]][mailbox.number] = mailbox }
    }

    func remove(_ client: String, _ mailbox: EventMailbox) {
        sessions.withLock { sessions in
            sessions[client]?[mailbox.number] = nil
            if sessions[client]?.isEmpty == true { sessions[client] = nil }
        }
    }

    var names: Set<String> { sessions.withLock { Set($0.keys) } }

    /// Removes and returns the sessions of `client`.
    func take(_ client: String) -> [EventMailbox] {
        sessions.withLock { Array(($0.removeValue(forKey: client) ?? [:]).values) }
    }
}

extension ConversationService {
    /// Ends the live sessions of revoked tokens: every `interval` (while any session is
    /// authenticated) the store's clients are read, and each session of a revoked one gets
    /// `bye` with reason `revoked` and is closed by its channel. Runs until cancelled.
    public func enforceRevocations(every interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let live = liveClients.names
            guard !live.isEmpty else { continue }
            let clients: [Client]
            do {
                clients = try await store.clients()
            } catch {
                logger.warning("revocation.check_failed", metadata: ["error": "\(error)"])
                continue
            }
            for client in clients where client.revoked && live.contains(client.name) {
                let mailboxes = liveClients.take(client.name)
                for mailbox in mailboxes {
                    hub.unregister(mailbox.number)
                    mailbox.revoke()
                }
                logger.notice(
                    "client.revoked.sessions_ended", metadata: ["client.name": "\(client.name)", "sessions": "\(mailboxes.count)"])
            }
        }
    }
}
