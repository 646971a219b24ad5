import Synchronization

/// Runs `body`, giving up on it after `timeout`: while the database is down, postgres-nio's pool
/// keeps a request waiting for a connection and a query on a half-dead connection may not end
/// for minutes, and a client must hear `unavailable` in seconds. After `timeout` this throws
/// `timedOut()` at once and cancels `body` without waiting for it to notice.
func withDeadline<T: Sendable>(
    _ timeout: Duration, timedOut: @autoclosure @escaping @Sendable () -> any Error,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.begin(continuation)
            let work = Task {
                do {
                    race.finish(.success(try await body()))
                } catch {
                    race.finish(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled, race.finish(.failure(timedOut())) { work.cancel() }
            }
            race.attach(work: work, timer: timer)
        }
    } onCancel: {
        race.cancel()
    }
}

/// The one continuation of `withDeadline`, resumed by whichever of the work and the timer ends
/// first.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    func begin(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
        let cancelled = state.withLock { state in
            state.work = work
            state.timer = timer
            return state.cancelled
        }
        if cancelled { cancel() }
    }

    /// Resumes the caller with `result` if nobody did yet; returns whether this call did.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (continuation, timer) = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.timer)
        }
        guard let continuation else { return false }
        timer?.cancel()
        continuation.resume(with: result)
        return true
    }

    func cancel() {
        let work = state.withLock { state in
            state.cancelled = true
            return state.work
        }
        work?.cancel()
    }
}
