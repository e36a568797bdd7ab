/// The console's pages: their order in the navigation and the HTML frame
/// around each (landmarks, skip link, the stylesheet and script from
/// `/console/assets`, no inline script or style).
public enum ConsolePage: String, Sendable, CaseIterable {
    case overview
    case sales
    case deadLetters = "dead-letters"
    case matchQuality = "match-quality"
    case reconciliation
    case audit

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .sales: return "Sales"
        case .deadLetters: return "Dead letters"
        case .matchQuality: return "Match quality"
        case .reconciliation: return "Reconciliation"
        case .audit: return "Audit"
        }
    }

    public var path: String { "/console/\(rawValue)" }

    /// A whole document: navigation (this page marked current), sign-out
    /// form carrying `csrf`, and `body` in `<main>`.
    static func document(_ page: ConsolePage?, title: String, user: String?, csrf: String?, body: HTML) -> HTML {
        let navigation: HTML
        if let user, let csrf {
            let links = ConsolePage.allCases.map { item -> HTML in
                item == page ? "<li><a href=\"\(item.path)\" aria-current=\"page\">\(item.title)</a></li>" : "<li><a href=\"\(item.path)\">\(item.title)</a></li>"
            }
            navigation = """
                <nav aria-label="Console"><ul>\(links)</ul></nav>
                <form method="post" action="/console/sign-out"><input type="hidden" name="csrf" value="\(csrf)">\
                <span class="who">Signed in as \(user)</span> <button type="submit">Sign out</button></form>
                """
        } else {
            navigation = ""
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(title) · capi-bridge console</title>
            <link rel="stylesheet" href="/console/assets/console.css">
            <script src="/console/assets/console.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top"><a class="brand" href="/console/overview">capi-bridge</a>
            \(navigation)
            </header>
            <main id="main" tabindex="-1">
            <h1>\(title)</h1>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// A notice paragraph (`error` marks a failure).
    static func notice(_ text: String, error: Bool = false) -> HTML {
        error ? "<p class=\"notice error\" role=\"alert\">\(text)</p>" : "<p class=\"notice\" role=\"status\">\(text)</p>"
    }

    /// A hidden CSRF field.
    static func csrfField(_ token: String) -> HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(token)\">" }
}
