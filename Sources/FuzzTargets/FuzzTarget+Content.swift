import Content
import Foundation

extension FuzzTarget {
    /// One `intents/*.yml` file, checked by the loader's per-file parser from memory, with a few
    /// `_variables.yml` values so that answer templates are rendered (and unknown names reported).
    public static let intents = FuzzTarget(name: "Intents") { bytes in
        let file = "intents/fuzz.yml"
        guard let text = try? ContentText.decode(Data(bytes), file: file) else { return }
        var parser = IntentFileParser(file: file, variables: intentVariables)
        parser.parse(text)
    }

    /// One `faqs/*.yaml` file through `FAQParser`.
    public static let faqYAML = faqTarget(name: "FAQYAML", path: "fuzz.yaml")
    /// One `faqs/*.md` file through `FAQParser`.
    public static let faqMarkdown = faqTarget(name: "FAQMarkdown", path: "fuzz.md")
    /// One `faqs/*.json` file through `FAQParser`.
    public static let faqJSON = faqTarget(name: "FAQJSON", path: "fuzz.json")
    /// One `faqs/*.csv` file through `FAQParser`.
    public static let faqCSV = faqTarget(name: "FAQCSV", path: "fuzz.csv")

    /// One scripted-conversations file (`Tests/conversations/*.yml`), decoded as the loader
    /// decodes it, through `ConversationScriptParser`.
    public static let conversationScript = FuzzTarget(name: "ConversationScript") { bytes in
        let file = "conversations/fuzz.yml"
        guard let text = try? ContentText.decode(Data(bytes), file: file) else { return }
        _ = try? ConversationScriptParser.parse(text, file: file)
    }

    private static let intentVariables = [
        "site_url": "https://shop.example",
        "support_email": "help@shop.example",
        "return_window": "60 days",
    ]

    private static func faqTarget(name: String, path: String) -> FuzzTarget {
        FuzzTarget(name: name) { bytes in
            _ = try? FAQParser.parse(Data(bytes), path: path)
        }
    }
}
