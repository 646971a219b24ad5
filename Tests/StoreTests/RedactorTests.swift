import Foundation
import Store
import Testing

@Suite("Redaction")
struct RedactorTests {
    @Test(
        "personal data is masked",
        arguments: [
            ("write to jane.doe+support@mail.example.co.uk today", "write to [email] today"),
            ("<bob@example.com>", "<[email]>"),
            ("call +44 20 7946 0958 please", "call [phone] please"),
            ("call +1 (555) 123-4567", "call [phone]"),
            ("call 555-123-4567.", "call [phone]."),
            ("(555) 123-4567", "[phone]"),
            ("555.123.4567 or 1-800-555-0199", "[phone] or [phone]"),
            ("+4915112345678", "[phone]"),
            ("card 4111 1111 1111 1111 ok", "card [card] ok"),
            ("card 4111-1111-1111-1111", "card [card]"),
            ("4012888888881881", "[card]"),
            ("amex 3782 822463 10005", "amex [card]"),
            ("emoji 🙂 then 5500 0000 0000 0004", "emoji 🙂 then [card]"),
        ])
    func masks(input: String, expected: String) {
        #expect(Redactor().redact(input) == expected)
    }

    @Test(
        "non-personal numbers and look-alikes stay",
        arguments: [
            "order #100234 is late",
            "order #4111111111111111",
            "card 4111 1111 1111 1112 fails Luhn",
            "4111111111111112",
            "ticket 5551234567",
            "it costs 1,234.56 dollars",
            "on 2025-03-01 at 10:30",
            "version 1.2.3",
            "SKU A1234567",
            "user@localhost has no dot",
            "not an address: @handle",
            "12345",
            "room 555-1234",
            "+12345",
        ])
    func keeps(input: String) {
        #expect(Redactor().redact(input) == input)
    }
}
