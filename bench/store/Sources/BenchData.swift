import Store
import SupportCore

/// The pair every benchmark writer appends; the Python peer (`raw_sqlite.py`) writes the same
/// texts and sources.
enum BenchData {
    static let userText = "Hi, where is my order #100234? It was due yesterday and the tracking page shows nothing."
    static let botText =
        "Orders usually ship within 2 business days. You can follow yours from the link in the "
        + "confirmation e-mail; if it has not moved in 48 hours, reply here and an agent will check."
    static let sources = [
        SourceRef(id: "shipping-times", title: "How long does shipping take?", file: "faqs/shipping.md", score: 0.8125),
        SourceRef(id: "tracking", title: "Tracking your parcel", file: "faqs/shipping.md", score: 0.6),
    ]

    static var pair: [NewMessage] {
        [
            NewMessage(role: .user, text: userText),
            NewMessage(
                role: .bot, text: botText, intent: "order_status", confidence: 0.93, route: "faq", sources: sources,
                latencyMicros: 1500),
        ]
    }
}
