import Foundation

/// The argument checks every store backend applies before writing, so SQLite and PostgreSQL
/// refuse the same input with the same `invalid_argument` message.
package enum StoreValidation {
    /// Longest client name accepted.
    package static let maxClientNameLength = 128

    /// A client name: 1...128 characters, no control characters, no surrounding spaces.
    package static func clientName(_ name: String) throws {
        guard !name.isEmpty, name.count <= maxClientNameLength,
            name.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) }),
            name.trimmingCharacters(in: .whitespaces) == name
        else {
            throw StoreError(
                .invalidArgument,
                "client name must be 1...\(maxClientNameLength) characters, without control characters or surrounding spaces")
        }
    }

    /// Conversation metadata: a JSON object, when given.
    package static func metadata(_ metadata: String?) throws {
        guard let metadata else { return }
        guard (try? JSONSerialization.jsonObject(with: Data(metadata.utf8))) is [String: Any] else {
            throw StoreError(.invalidArgument, "conversation metadata must be a JSON object")
        }
    }
}
