import Foundation
import SupportCore

/// How the store mints message ids. Both kinds are 32 lowercase hex digits (`RecordID`) that
/// no client can guess; they differ in where a new id lands in the message-id index.
public enum MessageIDScheme: String, Sendable, Hashable, CaseIterable {
    /// 128 random bits. The default, as the issue specifies. Each new message writes a random
    /// page of the id index, so a group commit of 64 pairs dirties about 128 index pages.
    case random
    /// Opt-in: a 48-bit millisecond timestamp, then 80 random bits (the layout of UUIDv7).
    /// Still unguessable (80 secure random bits), but new ids sort last, so the id index grows
    /// at its end and a commit dirties a page or two of it. Reveals the creation millisecond
    /// to whoever sees the id, which the message's `created_at` tells its owner anyway.
    case timeOrdered

    /// A new id for a message created at `millis` (milliseconds since 1970).
    package func makeID(millis: Int64) -> MessageID {
        switch self {
        case .random:
            return .random()
        case .timeOrdered:
            return .timeOrdered(millis: millis)
        }
    }
}

extension RecordID {
    /// `millis` as 12 hex digits followed by 80 random bits as 20 hex digits.
    static func timeOrdered(millis: Int64) -> RecordID {
        var generator = SystemRandomNumberGenerator()
        let timestamp = UInt64(clamping: millis) & 0xFFFF_FFFF_FFFF
        let high = generator.next() as UInt64
        let low = UInt16(truncatingIfNeeded: generator.next() as UInt64)
        let text = hex(timestamp, digits: 12) + hex(high, digits: 16) + hex(UInt64(low), digits: 4)
        return RecordID(rawValue: text) ?? .random()
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
