import NIOCore
import Prometheus
import Synchronization

/// Limits per client address, shared by every connection of one listener: connections in TLS
/// handshake and connections overall (so one address cannot fill the connection cap with
/// half-open handshakes), and failed sign-ins (so tokens cannot be guessed by reconnecting).
/// Addresses are IP addresses without the port; clients behind one NAT share them, hence the
/// generous defaults (`ServerConfiguration.Limits`).
package final class PeerGuard: Sendable {
    /// Which per-address limit refused a connection (`supportbot_connections_refused_per_address_total`).
    package enum Refusal: String, Sendable, CaseIterable {
        /// The address already had `maxHandshakesPerAddress` connections in TLS handshake.
        case handshakes
        /// The address already had `maxConnectionsPerAddress` connections open.
        case connections
    }

    /// Why a connection was closed at accept.
    package struct Refused: Error {
        package var refusal: Refusal
        package init(refusal: Refusal) { self.refusal = refusal }
    }

    private struct Peer {
        var handshaking = 0
        var open = 0
    }

    private let limits: ServerConfiguration.Limits
    private let metrics: ServerMetrics
    private let peers = Mutex<[String: Peer]>([:])
    private let signIns = Mutex<[String: TokenBucket]>([:])

    package init(limits: ServerConfiguration.Limits, metrics: ServerMetrics) {
        self.limits = limits
        self.metrics = metrics
    }

    /// The address a channel's peer is counted under.
    package static func address(of channel: any Channel) -> String {
        channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Counts a freshly accepted connection against its address's limits, or says which limit
    /// refuses it (the caller closes it before any TLS work). An admitted connection stops
    /// counting as handshaking when `handshake` completes either way, and stops counting at all
    /// when the channel closes.
    package func admit(_ channel: any Channel, handshake: EventLoopFuture<Void>) -> Refusal? {
        let address = Self.address(of: channel)
        let refusal: Refusal? = peers.withLock { peers in
            var peer = peers[address, default: Peer()]
            if peer.open >= limits.maxConnectionsPerAddress { return .connections }
            if peer.handshaking >= limits.maxHandshakesPerAddress { return .handshakes }
            peer.open += 1
            peer.handshaking += 1
            peers[address] = peer
            return nil
        }
        if let refusal {
            metrics.refusedPerAddress(refusal)
            return refusal
        }
        metrics.connectionsHandshaking.increment()
        handshake.whenComplete { _ in
            self.metrics.connectionsHandshaking.decrement()
            self.update(address) { $0.handshaking -= 1 }
        }
        channel.closeFuture.whenComplete { _ in self.update(address) { $0.open -= 1 } }
        return nil
    }

    private func update(_ address: String, _ change: (inout Peer) -> Void) {
        peers.withLock { peers in
            guard var peer = peers[address] else { return }
            change(&peer)
            peers[address] = peer.open <= 0 && peer.handshaking <= 0 ? nil : peer
        }
    }

    /// Whether `address` may try to sign in now: false once it has used up its failed sign-ins
    /// (`signInFailuresPerMinute`, refilled steadily), until the next refill.
    package func maySignIn(from address: String, now: ContinuousClock.Instant = .now) -> Bool {
        signIns.withLock { buckets in
            guard var bucket = buckets[address] else { return true }
            let allowed = bucket.peek(now: now) >= 1
            buckets[address] = bucket
            return allowed
        }
    }

    /// Records a failed sign-in from `address`.
    package func recordFailedSignIn(from address: String, now: ContinuousClock.Instant = .now) {
        let perMinute = Double(limits.signInFailuresPerMinute)
        signIns.withLock { buckets in
            if buckets.count > 10_000 {
                // Forget addresses whose allowance has refilled, so the table stays small.
                buckets = buckets.filter { _, bucket in
                    var copy = bucket
                    return copy.peek(now: now) < perMinute
                }
            }
            var bucket = buckets[address] ?? TokenBucket(rate: perMinute / 60, burst: perMinute, now: now)
            _ = bucket.take(now: now)
            buckets[address] = bucket
        }
    }

    /// Seconds until `address` may try again (at least 1).
    package func secondsUntilSignIn(from address: String) -> Int {
        let rate = Double(limits.signInFailuresPerMinute) / 60
        return max(1, Int((1 / rate).rounded(.up)))
    }
}
