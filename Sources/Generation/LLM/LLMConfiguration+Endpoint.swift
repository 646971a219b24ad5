import Foundation
import SupportCore

extension LLMConfiguration {
    /// The chat-completions URL `url` stands for (see `url`); throws `invalid_url` when `url` is
    /// not an absolute http(s) URL, so the CLI can refuse to start with a bad `--llm-url`.
    public func endpoint() throws(LLMFailure) -> String {
        guard var components = URLComponents(string: url.trimmingWhitespace()),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else {
            throw LLMFailure(.invalidURL, "--llm-url must be an absolute http(s) URL")
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty {
            path = "/v1/chat/completions"
        } else if !path.hasSuffix("/chat/completions") {
            path += "/chat/completions"
        }
        components.path = path
        guard let resolved = components.string else {
            throw LLMFailure(.invalidURL, "--llm-url could not be completed to a chat-completions URL")
        }
        return resolved
    }
}
