import Crypto
import Foundation

/// Bearer tokens for clients: 32 random bytes shown once as `sb_` + base64url, and the
/// SHA-256 (hex) that is all the database keeps. A stolen database yields no usable token.
package enum ClientToken {
    /// Prefix that makes SupportBot tokens recognisable (and greppable by secret scanners).
    static let prefix = "sb_"

    /// A fresh token from the system's secure random generator.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            withUnsafeBytes(of: (generator.next() as UInt64).littleEndian) { bytes.append(contentsOf: $0) }
        }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// The lowercase hex SHA-256 of the token's UTF-8 bytes: the stored form.
    package static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
