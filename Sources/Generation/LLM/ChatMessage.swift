/// One message of a chat-completions request: a role (`system`, `user`, `assistant`) and its text.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}
