import Application
import ArgumentParser
import Foundation
import Logging
import Store

/// `--state` and `--database` of every command that opens the conversation store.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "State folder; holds supportbot.sqlite unless --database names another database.")
    var state = "state"

    @Option(
        help: ArgumentHelp(
            "The conversation database: sqlite:PATH or postgres://user:password@host:5432/db (add ?sslmode=require for TLS).",
            discussion:
                "Default: sqlite:STATE/supportbot.sqlite. Several nodes serving one PostgreSQL database share conversations and handoffs.",
            valueName: "url"))
    var database: String?

    func validate() throws {
        try Self.validateStateFolder(state)
        if let database {
            do {
                _ = try DatabaseLocation.parse(database)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    /// `--state` must name a folder (created when missing), not a file.
    static func validateStateFolder(_ state: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: state, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--state '\(state)' is a file; give a folder (it is created when missing)")
        }
    }

    /// The database these options select.
    func location() throws -> DatabaseLocation {
        do {
            return try database.map(DatabaseLocation.parse) ?? .stateFolder(URL(fileURLWithPath: state))
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Opens the store, runs `body` and closes the store. With `mustExist`, an SQLite file that
    /// is not there is an error (a mistyped --state must not create an empty database). With
    /// `readsOnly`, a state folder this process cannot write is opened read-only.
    func withStore<T>(
        mustExist: Bool, readsOnly: Bool = false, relaxedDurability: Bool = false, logger: Logger,
        _ body: (any ManagedConversationStore) async throws -> T
    ) async throws -> T {
        var configuration = StoreConfiguration()
        if relaxedDurability { configuration.synchronous = .normal }
        let store: any ManagedConversationStore
        do {
            store = try await location().open(
                sqlite: configuration, mustExist: mustExist, readsOnly: readsOnly, logger: logger)
        } catch let error as ApplicationError {
            throw CLIError(error.description)
        }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
