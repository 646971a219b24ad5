import Redaction
import Testing

@Suite("Redaction")
struct RedactorTests {
    @Test(
        "personal data is masked with its kind",
        arguments: [
            ("write to jane.doe+support@mail.example.co.uk today", "write to [email] today"),
            ("<bob@example.com>", "<[email]>"),
            ("josé.garcía@correo.es y 用户@例子.广告", "[email] y [email]"),
            ("müller@bücher.de.", "[email]."),
            ("call +44 20 7946 0958 please", "call [phone] please"),
            ("+44 (0)20 7946 0958", "[phone]"),
            ("0044 20 7946 0958 or 00 49 30 12345678", "[phone] or [phone]"),
            ("call +1 (555) 123-4567", "call [phone]"),
            ("call 555-123-4567.", "call [phone]."),
            ("(555) 123-4567", "[phone]"),
            ("555.123.4567 or 1-800-555-0199", "[phone] or [phone]"),
            ("ring 2125550123 tonight", "ring [phone] tonight"),
            ("+4915112345678", "[phone]"),
            ("020 7946 0958 at 14:30", "[phone] at 14:30"),
            ("07700 900123 after 6pm", "[phone] after 6pm"),
            ("030/1234567 oder 0151 12345678", "[phone] oder [phone]"),
            ("06.12.34.56.78 ou 01 23 45 67 89", "[phone] ou [phone]"),
            ("card 4111 1111 1111 1111 ok", "card [card] ok"),
            ("card 4111-1111-1111-1111", "card [card]"),
            ("4111.1111.1111.1111", "[card]"),
            ("4111  1111  1111  1111", "[card]"),
            ("#4111111111111111", "#[card]"),
            ("4111 1111 1111 1111 exp 09/27 cvv 123", "[card] exp 09/27 cvv 123"),
            ("4111 1111 1111 1111 09/27", "[card] 09/27"),
            ("4012888888881881", "[card]"),
            ("amex 3782 822463 10005", "amex [card]"),
            ("emoji 🙂 then 5500 0000 0000 0004", "emoji 🙂 then [card]"),
            ("IBAN GB82 WEST 1234 5698 7654 32, thanks", "IBAN [iban], thanks"),
            ("de89370400440532013000", "[iban]"),
            ("SSN 123-45-6789", "SSN [national-id]"),
            ("my ssn is 123456789", "my ssn is [national-id]"),
            ("NI number AB 12 34 56 C", "NI number [national-id]"),
        ])
    func masks(input: String, expected: String) {
        #expect(Redactor().redact(input) == expected)
    }

    @Test(
        "non-personal numbers and look-alikes stay",
        arguments: [
            "order #100234 is late",
            "order 4111111111111111 is late",
            "card 4111 1111 1111 1112 fails Luhn",
            "4111111111111112",
            "1234567812345670 starts with no issuer's prefix",
            "ticket 5551234567",
            "it costs 1,234.56 dollars or 1.299,00 EUR",
            "on 2025-03-01 at 10:30, or 01/03/2025, or 3.1.2025",
            "version 1.2.3 at 192.168.1.10",
            "SKU A1234567, ORD-2024-00192",
            "user@localhost has no dot, invoice@2x.png is a file",
            "not an address: @handle",
            "12345",
            "room 555-1234",
            "+12345",
            "tracking 1Z999AA10123456784 via UPS",
            "zip 90210-1234",
            "GB82 WEST 1234 5698 7654 33 has a wrong check",
            "SSN 000-12-3456 is not valid, nor 666-12-3456",
            "card ending 4242, **** **** **** 4242",
        ])
    func keeps(input: String) {
        #expect(Redactor().redact(input) == input)
    }

    @Test("findings say what they are and where")
    func findings() {
        let found = Redactor().findings(in: "é bob@x.io and +44 20 7946 0958")
        #expect(found.map(\.kind) == [.email, .phone])
        #expect(found.map(\.text) == ["bob@x.io", "+44 20 7946 0958"])
        #expect(found.first?.scalarOffsets == 2..<10)
    }

    @Test("the corpus markup is read into text and items, and broken markup is refused with the case id")
    func corpusMarkup() throws {
        let parsed = try RedactionEvaluation.parseCase(id: "x-1", marked: "mail {{email:a@b.io}} or {{ssn:123-45-6789}}.")
        #expect(parsed.text == "mail a@b.io or 123-45-6789.")
        #expect(parsed.items.map(\.kind) == [.email, .nationalID])
        #expect(parsed.items.map(\.offsets) == [5..<11, 15..<26])
        #expect(throws: RedactionCorpusError.self) { try RedactionEvaluation.parseCase(id: "x-2", marked: "{{email:a@b.io") }
        #expect(throws: RedactionCorpusError.self) { try RedactionEvaluation.parseCase(id: "x-3", marked: "{{mail:a@b.io}}") }
    }
}
