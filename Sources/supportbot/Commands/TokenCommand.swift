import ArgumentParser
import Foundation
import Store
import SupportCore

/// `supportbot token`: create, list and revoke client tokens. Only a hash is stored, so a
/// token is shown once, at creation.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage client tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a client and print its new token (shown once).")

        @Argument(help: "Client name, e.g. the website or app using the token.")
        var name: String

        @Option(help: "customer (chats), agent (also works the handoff queue) or admin (reads the analytics page /admin only).")
        var role: ClientRole = .customer

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw ValidationError("client names use letters, digits, '-', '_' and '.' (at most 64)")
            }
            guard name != "local" else { throw ValidationError("'local' is reserved for tokenless loopback clients") }
        }

        func run() async throws {
            try await database.withStore(mustExist: false, logger: logging.makeLogger()) { store in
                do {
                    let token = try await store.createClient(name: name, role: role)
                    Terminal.output(token)
                    Terminal.note("created \(role.rawValue) '\(name)'. Store this token now: it cannot be shown again.")
                } catch {
                    throw CLIError("cannot create '\(name)': \(error)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List clients (never their tokens).")

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            let clients = try await database.withStore(mustExist: true, readsOnly: true, logger: logging.makeLogger()) {
                store in
                try await store.clients()
            }
            for client in clients {
                Terminal.output(
                    "\(client.name)\t\(client.role.rawValue)\t\(RFC3339.string(from: client.createdAt))\t\(client.revoked ? "revoked" : "active")"
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a client's token; its conversations are kept.")

        @Argument(help: "Client name.")
        var name: String

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            let found = try await database.withStore(mustExist: true, logger: logging.makeLogger()) { store in
                try await store.revokeClient(name: name)
            }
            guard found else {
                throw CLIError("no client named '\(name)'; see 'supportbot token list'")
            }
            Terminal.note("revoked '\(name)'")
        }
    }
}

extension ClientRole: ExpressibleByArgument {}
