/// Keeps a dead or failing LLM endpoint from costing every customer a timeout: after
/// `failureThreshold` consecutive infrastructure failures it opens and rejects requests at once
/// for `openDuration`, then lets a single probe through; the probe's success closes it, its
/// failure opens it again. A pure state machine (time is passed in), tested without I/O.
public struct CircuitBreaker: Sendable {
    /// The breaker's state, for logs and tests.
    public enum State: Sendable, Equatable {
        /// Requests pass; `failures` consecutive failures so far.
        case closed(failures: Int)
        /// Requests are rejected until `until`.
        case open(until: ContinuousClock.Instant)
        /// One probe request is in flight; others are rejected until it reports.
        case probing
    }

    /// What a finished request tells the breaker.
    public enum Outcome: Sendable {
        /// The endpoint answered (whether or not the answer was usable).
        case success
        /// The endpoint failed: unreachable, timeout, HTTP error, broken stream.
        case failure
        /// The request ended without saying anything about the endpoint (the caller went away).
        case abandoned
    }

    public let failureThreshold: Int
    public let openDuration: Duration
    public private(set) var state: State = .closed(failures: 0)

    public init(failureThreshold: Int, openDuration: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.openDuration = openDuration
    }

    /// Whether a request may go to the endpoint now. Admitting a request while the open
    /// period has passed makes it the probe.
    public mutating func admit(now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .closed:
            return true
        case .open(let until) where now >= until:
            state = .probing
            return true
        case .open, .probing:
            return false
        }
    }

    /// Records how an admitted request ended.
    public mutating func record(_ outcome: Outcome, now: ContinuousClock.Instant) {
        switch (state, outcome) {
        case (_, .success):
            state = .closed(failures: 0)
        case (.closed(let failures), .failure):
            state = failures + 1 >= failureThreshold ? .open(until: now + openDuration) : .closed(failures: failures + 1)
        case (.probing, .failure):
            state = .open(until: now + openDuration)
        case (.probing, .abandoned):
            // The probe said nothing; let the next request probe.
            state = .open(until: now)
        case (.open, .failure), (.open, .abandoned), (.closed, .abandoned):
            break
        }
    }
}
