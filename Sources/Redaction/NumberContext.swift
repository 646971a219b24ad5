/// What the words just before a number say it is. An identifier word ("order", "tracking") counts
/// only right before the number (filler such as "number", "is", "my" aside): "order 4111…" is an
/// order number, but in "re order 27225, please use 4111…" the card is a card. Otherwise the
/// nearest word that speaks of a phone, a card or an identity number, within six words, wins.
enum NumberContext: Equatable {
    case neutral
    /// "order", "tracking", "invoice", "ticket", "sku"…: an identifier, not personal data.
    case identifier
    /// "call", "phone", "mobile", "tel", "whatsapp"…
    case phone
    /// "card", "visa", "credit", "paid"…
    case card
    /// "ssn", "social security"…
    case nationalID

    init(_ wordsNearestFirst: [String]) {
        self = .neutral
        let content = wordsNearestFirst.filter { !Self.fillers.contains($0) }
        if let first = content.first, Self.keywords[first] == .identifier {
            self = .identifier
            return
        }
        for word in content.prefix(6) {
            if let context = Self.keywords[word], context != .identifier {
                self = context
                return
            }
        }
    }

    /// Words between a label and its number that say nothing about what the number is.
    static let fillers: Set<String> = [
        "number", "numbers", "no", "nr", "num", "is", "was", "are", "be", "my", "the", "your", "our", "this", "that", "a", "an",
        "of", "id", "s", "it", "here", "new", "es", "est", "ist", "mi", "mon", "ma", "meine", "mein",
    ]

    static let keywords: [String: NumberContext] = {
        var table: [String: NumberContext] = [:]
        let identifiers = """
            order orders ord invoice invoices inv ticket tickets tracking track trk ref reference booking confirmation case \
            shipment parcel package consignment transaction txn po sku serial model part item account acct customer member \
            membership claim policy receipt rma return voucher coupon code imei batch lot version isbn awb waybill dhl ups \
            usps fedex dpd gls hermes postcode zip zipcode barcode ean upc asin pnr flight room unit table seat gate \
            reservation subscription contract quote estimate job request incident issue bug \
            ordine bestellung bestellnummer bestelling commande pedido encomenda zamówienie zamowienie factura facture \
            rechnung fattura referencia référence referenz riferimento sendung sendungsnummer paket colis envío envio \
            spedizione pakket zending kundennummer
            """
        let phones = """
            call calls calling called phone phones tel telephone mobile mob cell cellphone ring text texting sms whatsapp \
            fax landline dial reach hotline helpline contact contactable reception switchboard \
            teléfono telefono telefon telefonnummer téléphone telephone telefone telemóvel móvil movil celular handy \
            portable cellulare numéro numero número nummer rufnummer anrufen rufen appelez appeler appelle joindre \
            llámame llamame llamar llama llamad llámanos chiamare chiamami chiamate ligue ligar bel bellen
            """
        let cards =
            "card cards visa mastercard amex discover credit debit cc pan maestro jcb diners unionpay charged paid payment pay"
        let nationalIDs = "ssn ssns ss social security taxpayer itin insurance nino"
        for (words, context) in [(identifiers, Self.identifier), (phones, .phone), (cards, .card), (nationalIDs, .nationalID)] {
            for word in words.split(whereSeparator: { $0 == " " || $0 == "\n" }) { table[String(word)] = context }
        }
        return table
    }()
}
