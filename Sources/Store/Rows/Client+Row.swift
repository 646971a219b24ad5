import Foundation
import GRDB
import SupportCore

extension Client {
    /// The client columns, in the order `init(row:)` reads them.
    static let selection = "name, role, created_at, revoked_at"

    /// Decodes a client from `row`.
    init(row: Row) throws {
        let name: String = try row.decode(atIndex: 0)
        let rawRole: String = try row.decode(atIndex: 1)
        guard let role = ClientRole(rawValue: rawRole) else {
            throw StoreError(.corrupt, "client \(name) has an invalid role")
        }
        let revokedAt: Int64? = try row.decode(atIndex: 3)
        self.init(name: name, role: role, createdAt: Date(millis: try row.decode(atIndex: 2)), revoked: revokedAt != nil)
    }
}
