import Server
import Testing

@Suite("Markdown as plain text (text mode)")
struct MarkdownTextTests {
    @Test(
        "plain-text rendering of Markdown",
        arguments: [
            ("See [returns](https://example.com/returns).", "See returns (https://example.com/returns)."),
            ("[https://e.com](https://e.com)", "https://e.com"),
            ("- **Received**: we have it.\n- **Shipped**: on its way.", "- Received: we have it.\n- Shipped: on its way."),
            ("## Heading\nUse `code` here.", "Heading\nUse code here."),
            ("Keep [1] and a_b and 2*3.", "Keep [1] and a_b and 2*3."),
        ])
    func plain(markdown: String, expected: String) {
        #expect(MarkdownText.plain(markdown) == expected)
    }
}
