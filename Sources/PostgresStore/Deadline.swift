/// Runs `body`, cancelling it after `timeout`: while the database is down, postgres-nio's pool
/// keeps a request waiting for a connection instead of failing it, and a client must hear
/// `unavailable` in seconds, not wait for the outage to end. Throws `timedOut` after `timeout`.
func withDeadline<T: Sendable>(
    _ timeout: Duration, timedOut: @autoclosure @Sendable () -> any Error,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let value = result { return value }
            throw timedOut()
        }
        throw timedOut()
    }
}
