import ArgumentParser
import Foundation
import Server

/// `supportbot chat`: talk to a server as a person (prompt, colours, slash commands), or with
/// `--json` forward stdin lines as protocol requests and print every response line.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a SupportBot server.",
        discussion: """
            Interactive commands: /help, /new, /history, /export FORMAT, /up, /down [comment] \
            (rate the last answer), /quit. Without --ca or --insecure, state/tls/ca.pem is used \
            when present (the development CA of 'supportbot serve'), else the system trust store.
            """
    )

    @Option(help: "Server address, HOST:PORT.")
    var connect = "127.0.0.1:7443"

    @Option(help: "Token to authenticate with (see 'supportbot token create').")
    var token: String?

    @Option(help: "CA certificate (PEM) to verify the server with.")
    var ca: String?

    @Flag(help: "Do not verify the server certificate (development only).")
    var insecure = false

    @Flag(help: "Pipe mode: stdin lines are JSON requests, responses are printed as JSON lines.")
    var json = false

    func validate() throws {
        if ca != nil, insecure { throw ValidationError("--ca and --insecure exclude each other") }
        _ = try ListenAddress(connect)
    }

    func run() async throws {
        let address = try ListenAddress(connect)
        let tls = try trustOptions()
        do {
            try await LineClient.withConnection(host: address.host, port: address.port, tls: tls) { connection in
                if json {
                    try await ChatPipe(connection: connection).run()
                } else {
                    try await ChatSession(connection: connection, token: token).run()
                }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(
                "cannot talk to \(connect): \(error). Is 'supportbot serve' running? For a development certificate pass --ca state/tls/ca.pem."
            )
        }
    }

    private func trustOptions() throws -> ClientTLSOptions {
        if insecure {
            Terminal.note("warning: --insecure: the server's identity is not verified")
            return ClientTLSOptions(trust: .insecure)
        }
        let path = ca ?? (FileManager.default.fileExists(atPath: "state/tls/ca.pem") ? "state/tls/ca.pem" : nil)
        guard let path else { return ClientTLSOptions(trust: .system) }
        do {
            return ClientTLSOptions(trust: .certificateAuthority(pem: try String(contentsOfFile: path, encoding: .utf8)))
        } catch {
            throw CLIError("cannot read the CA file '\(path)': \(error.localizedDescription)")
        }
    }
}

/// Standard input as an async sequence of lines, read on its own thread so that the server's
/// messages can be shown while the user is typing.
enum StandardInput {
    static func lines() -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                while let line = readLine(strippingNewline: true) {
                    continuation.yield(line)
                }
                continuation.finish()
            }
            thread.start()
        }
    }
}

/// `--json`: requests from stdin, every response line to stdout; after stdin ends, waits for
/// the answers to what was sent.
struct ChatPipe {
    let connection: LineConnection

    func run() async throws {
        var sent = 0
        for await line in StandardInput.lines() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            try await connection.send(line)
            sent += 1
            var answered = 0
            while answered < 1, let response = try await connection.readLine() {
                Terminal.output(response)
                if !response.contains("\"type\":\"delta\"") { answered += 1 }
                if response.contains("\"type\":\"bye\"") { return }
            }
        }
    }
}
