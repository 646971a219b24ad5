import AsyncAlgorithms
import Server
import Synchronization

/// The live `/ws` sessions, so that graceful shutdown can tell each to finish its request in
/// progress and say `bye` before Hummingbird closes the sockets (it would otherwise close them
/// at once with a bare close frame).
final class WebSocketRegistry: Sendable {
    private struct State {
        var next = 0
        var sessions: [Int: AsyncChannel<ConnectionEvent>] = [:]
        var emptied: [CheckedContinuation<Void, Never>] = []
        var shuttingDown = false
    }

    private let state = Mutex(State())

    /// Adds a session's event channel; pass the result to `unregister(_:)` when it ends.
    func register(_ events: AsyncChannel<ConnectionEvent>) -> Int {
        let (number, late) = state.withLock { state in
            state.next += 1
            state.sessions[state.next] = events
            return (state.next, state.shuttingDown)
        }
        if late {
            // Upgraded while the server was already saying goodbye.
            Task { await events.send(.shutdown) }
        }
        return number
    }

    func unregister(_ number: Int) {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.sessions[number] = nil
            guard state.sessions.isEmpty else { return [] }
            defer { state.emptied = [] }
            return state.emptied
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Sends `.shutdown` to every session and returns once all of them have ended.
    func shutDownAll() async {
        let sessions = state.withLock { state in
            state.shuttingDown = true
            return Array(state.sessions.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for events in sessions {
                group.addTask { await events.send(.shutdown) }
            }
        }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.sessions.isEmpty { return true }
                state.emptied.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
