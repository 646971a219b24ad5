/// Where a protocol session's output goes, whatever carries it: the line server ends each unit
/// with a newline, the WebSocket sends each as one text frame. Writes may come from the session's
/// request loop and its push drain at once; both transports keep each unit whole.
package struct SessionOutput: Sendable {
    /// Writes one JSON-mode line (a complete JSON object, no newline).
    package let line: @Sendable (String) async throws -> Void
    /// Writes one text-mode block: lines each ended by a newline, then the empty line.
    package let block: @Sendable (String) async throws -> Void

    package init(
        line: @escaping @Sendable (String) async throws -> Void, block: @escaping @Sendable (String) async throws -> Void
    ) {
        self.line = line
        self.block = block
    }
}
