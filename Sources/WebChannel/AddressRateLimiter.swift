import Synchronization

/// A token bucket per peer address (burst = one minute's allowance): how often one address may
/// register a web visitor. Buckets refilled to full are dropped, so memory follows the active
/// addresses.
final class AddressRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let perMinute: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Double) {
        self.perMinute = perMinute
    }

    /// Takes one token for `address`; false when its allowance is used up.
    func take(_ address: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { buckets in
            if buckets.count > 10_000 {
                buckets = buckets.filter { refilled($0.value, now: now) < perMinute }
            }
            var bucket = buckets[address] ?? Bucket(tokens: perMinute, updated: now)
            bucket.tokens = refilled(bucket, now: now)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[address] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[address] = bucket
            return true
        }
    }

    private func refilled(_ bucket: Bucket, now: ContinuousClock.Instant) -> Double {
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(perMinute, bucket.tokens + seconds * perMinute / 60)
    }
}
