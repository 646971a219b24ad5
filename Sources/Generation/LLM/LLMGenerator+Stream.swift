import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension LLMGenerator {
    /// Sends `request` and streams the answer to `onDelta` until the server finishes, the
    /// deadline passes or the caller is cancelled. The HTTP exchange runs in a child task that
    /// hands answer pieces over an async stream; a second child ends that stream at the
    /// deadline. `onDelta` is called only from the calling task.
    func stream(
        _ request: ChatCompletionWire.Request, to url: String, onDelta: @Sendable (String) async -> Void
    ) async throws(LLMFailure) -> LLMCompletion {
        let body: Data
        do {
            body = try JSONEncoder().encode(request)
        } catch {
            throw LLMFailure(.badResponse, "the request could not be encoded")
        }
        let timeout = configuration.timeout
        let deadline = NIODeadline.now() + .nanoseconds(Self.nanoseconds(timeout))
        let (items, continuation) = AsyncThrowingStream<ChatStreamItem, any Error>.makeStream()
        do {
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await self.exchange(body: body, url: url, deadline: deadline, into: continuation)
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    continuation.finish(throwing: LLMFailure(.timeout, "no complete answer within \(timeout)"))
                }
                defer { group.cancelAll() }
                var text = ""
                var finishReason: String?
                for try await item in items {
                    switch item {
                    case .delta(let piece):
                        text += piece
                        await onDelta(piece)
                    case .finish(let reason):
                        finishReason = reason
                    case .done:
                        break
                    }
                }
                try Task.checkCancellation()
                return LLMCompletion(text: text, finishReason: finishReason)
            }
        } catch let failure as LLMFailure {
            throw failure
        } catch is CancellationError {
            throw LLMFailure(.cancelled, "the caller was cancelled")
        } catch {
            throw LLMFailure(.badResponse, "unexpected error: \(error)")
        }
    }

    /// One HTTP exchange: checks the status, then decodes the body (an event stream, or one
    /// JSON response from a server that does not stream) into `continuation`.
    private func exchange(
        body: Data, url: String, deadline: NIODeadline,
        into continuation: AsyncThrowingStream<ChatStreamItem, any Error>.Continuation
    ) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey = configuration.apiKey, !apiKey.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        }
        request.body = .bytes(ByteBuffer(bytes: body))

        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, deadline: deadline, logger: logger)
        } catch {
            throw Self.failure(connecting: error)
        }
        guard response.status == .ok else {
            throw LLMFailure(.httpStatus, "the server answered HTTP \(response.status.code)")
        }
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
        let isEventStream = contentType.hasPrefix("text/event-stream")
        var parser = ServerSentEventParser()
        let decoder = ChatStreamDecoder()
        var whole: [UInt8] = []
        var received = 0
        var finished = false
        do {
            for try await buffer in response.body {
                received += buffer.readableBytes
                guard received <= configuration.maxResponseBytes else {
                    throw LLMFailure(.truncated, "the response exceeded \(configuration.maxResponseBytes) bytes")
                }
                guard isEventStream else {
                    whole += buffer.readableBytesView
                    continue
                }
                for event in try parser.feed(buffer.readableBytesView) {
                    for item in try decoder.decode(event: event) {
                        continuation.yield(item)
                        if item == .done { return }
                        if case .finish = item { finished = true }
                    }
                }
            }
        } catch let failure as LLMFailure {
            throw failure
        } catch let tooLong as ServerSentEventParser.LineTooLong {
            throw LLMFailure(.badResponse, tooLong.description)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.failure(streaming: error)
        }
        if !isEventStream {
            for item in try decoder.decode(json: whole) { continuation.yield(item) }
        } else if !finished {
            throw LLMFailure(.badResponse, "the stream ended before the answer was finished")
        }
    }

    private static func failure(connecting error: any Error) -> LLMFailure {
        if let error = error as? HTTPClientError, error == .deadlineExceeded {
            return LLMFailure(.timeout, "no response before the deadline")
        }
        if error is CancellationError { return LLMFailure(.cancelled, "the caller was cancelled") }
        return LLMFailure(.unreachable, "could not get a response: \(error)")
    }

    private static func failure(streaming error: any Error) -> LLMFailure {
        if let error = error as? HTTPClientError, error == .deadlineExceeded {
            return LLMFailure(.timeout, "the answer did not finish before the deadline")
        }
        return LLMFailure(.badResponse, "the stream broke off: \(error)")
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
