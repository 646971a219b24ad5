import Generation
import Testing

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    let start = ContinuousClock.now

    @Test("opens after the threshold of consecutive failures and rejects until the open period ends")
    func opens() {
        var breaker = CircuitBreaker(failureThreshold: 3, openDuration: .seconds(30))
        var admitted: [Bool] = []
        for _ in 0..<3 {
            admitted.append(breaker.admit(now: start))
            breaker.record(.failure, now: start)
        }
        #expect(admitted == [true, true, true])
        #expect(breaker.state == .open(until: start + .seconds(30)))
        let duringOpen = breaker.admit(now: start + .seconds(29))
        #expect(!duringOpen)
    }

    @Test("a success resets the failure count")
    func successResets() {
        var breaker = CircuitBreaker(failureThreshold: 2, openDuration: .seconds(5))
        breaker.record(.failure, now: start)
        breaker.record(.success, now: start)
        breaker.record(.failure, now: start)
        #expect(breaker.state == .closed(failures: 1))
    }

    @Test(
        "after the open period one probe goes through; its outcome closes or reopens",
        arguments: [
            (CircuitBreaker.Outcome.success, true),
            (.failure, false),
        ])
    func probe(outcome: CircuitBreaker.Outcome, closes: Bool) {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(10))
        breaker.record(.failure, now: start)
        let later = start + .seconds(10)
        let probe = breaker.admit(now: later)
        #expect(probe)
        #expect(breaker.state == .probing)
        let second = breaker.admit(now: later)
        #expect(!second, "only one probe at a time")
        breaker.record(outcome, now: later)
        if closes {
            #expect(breaker.state == .closed(failures: 0))
        } else {
            #expect(breaker.state == .open(until: later + .seconds(10)))
        }
    }

    @Test("an abandoned probe lets the next request probe")
    func abandonedProbe() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(10))
        breaker.record(.failure, now: start)
        let later = start + .seconds(11)
        let probe = breaker.admit(now: later)
        breaker.record(.abandoned, now: later)
        let next = breaker.admit(now: later)
        #expect(probe && next)
        #expect(breaker.state == .probing)
    }
}
