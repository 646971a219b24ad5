/// A failure to assemble or start SupportBot, said as one message that tells the operator what
/// to do (the CLI prints it and exits with status 1).
public struct ApplicationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
