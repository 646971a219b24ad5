/// Per-connection rate limit: `rate` requests per second sustained, `burst` at once.
struct TokenBucket {
    private let rate: Double
    private let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(rate: Double, burst: Double, now: ContinuousClock.Instant = .now) {
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.last = now
    }

    /// Takes one token if available.
    mutating func take(now: ContinuousClock.Instant = .now) -> Bool {
        guard peek(now: now) >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// The tokens available now, after the refill since the last call.
    mutating func peek(now: ContinuousClock.Instant = .now) -> Double {
        let elapsed = last.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        tokens = min(burst, tokens + max(0, seconds) * rate)
        last = now
        return tokens
    }
}
