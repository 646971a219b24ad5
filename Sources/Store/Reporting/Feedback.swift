import Foundation
import SupportCore

/// A customer's rating of a bot message as stored (one per message; rating again replaces it).
public struct Feedback: Sendable, Hashable, Codable {
    public var message: MessageID
    public var rating: Rating
    public var comment: String?
    public var createdAt: Date

    public init(message: MessageID, rating: Rating, comment: String?, createdAt: Date) {
        self.message = message
        self.rating = rating
        self.comment = comment
        self.createdAt = createdAt
    }
}
