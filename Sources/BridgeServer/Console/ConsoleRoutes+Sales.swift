import BridgeCore
import BridgeStore
import Hummingbird

extension ConsoleRoutes {
    /// `GET /console/sales[?event_id=&source=|?order_id=]`: the search forms
    /// and, for an event or order id (not personal data, so a GET), the journeys.
    func sales(_ request: Request, session: ConsoleSession) async -> Response {
        let query = request.uri.queryParameters
        let eventID = query.get("event_id").map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        let orderID = query.get("order_id").map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        let source = query.get("source").flatMap { $0.isEmpty ? nil : $0 }
        var results: HTML = ""
        do {
            if let eventID {
                guard eventID.utf8.count <= JourneyService.maxIDBytes else { throw SearchProblem("the event id is too long") }
                results = Self.journeys(try await journeys.journeys(eventID: eventID, source: source), searched: "event id")
            } else if let orderID {
                guard orderID.utf8.count <= JourneyService.maxIDBytes else { throw SearchProblem("the order id is too long") }
                let since = now.advanced(by: .seconds(-400 * 86_400))
                results = Self.journeys(try await journeys.journeys(orderID: orderID, source: source, since: since, limit: 50), searched: "order id")
            }
        } catch let problem as SearchProblem {
            results = ConsolePage.notice(problem.message, error: true)
        } catch {
            results = ConsolePage.notice("The store did not answer.", error: true)
        }
        return page(.sales, session: session, body: searchForms(session, eventID: eventID, orderID: orderID) + results)
    }

    /// `POST /console/sales` (CSRF) with `email=` or `phone=` (and `country=`):
    /// the value is normalized and digested here with the erasure key, as an
    /// erasure request would be, and never stored, logged or echoed.
    func salesSearch(session: ConsoleSession, form: ConsoleForm) async -> Response {
        var keys: [ErasureKeys.Key] = []
        for field in [CustomerField.email, .phone] {
            guard let value = form[field.rawValue] else { continue }
            let found = ErasureKeys.lookupKeys(field, value, region: form["country"], sealer: sealer)
            if found.isEmpty {
                return page(
                    .sales, session: session,
                    body: searchForms(session, eventID: nil, orderID: nil) + ConsolePage.notice("The \(field.rawValue) given is not valid after normalization.", error: true),
                    status: .badRequest)
            }
            keys += found
        }
        guard !keys.isEmpty else {
            return page(
                .sales, session: session, body: searchForms(session, eventID: nil, orderID: nil) + ConsolePage.notice("Type an e-mail address or a phone number.", error: true),
                status: .badRequest)
        }
        var found: [EventJourney] = []
        do {
            for source in MatchQualityReporting.sources(config).sorted() {
                let holdings = try await admin.store.holdings(source: source, matching: SourceEventMatch(keys: keys))
                for eventID in holdings.eventIDs.prefix(50) { found += try await journeys.journeys(eventID: eventID, source: source) }
            }
        } catch {
            return page(.sales, session: session, body: ConsolePage.notice("The store did not answer.", error: true), status: .serviceUnavailable)
        }
        return page(.sales, session: session, body: searchForms(session, eventID: nil, orderID: nil) + Self.journeys(found, searched: "customer"))
    }

    func searchForms(_ session: ConsoleSession, eventID: String?, orderID: String?) -> HTML {
        """
        <form class="filters" method="get" action="/console/sales" role="search" aria-label="By event or order id">
        <label for="event_id">Event id <input id="event_id" name="event_id" value="\(eventID)"></label>
        <label for="order_id">Order id <input id="order_id" name="order_id" value="\(orderID)"></label>
        <button type="submit">Find</button></form>
        <form class="filters" method="post" action="/console/sales" role="search" aria-label="By customer" autocomplete="off">
        \(ConsolePage.csrfField(signer.csrfToken(for: session)))
        <label for="email">Customer e-mail <input id="email" name="email" type="email" autocomplete="off"></label>
        <label for="phone">or phone <input id="phone" name="phone" type="tel" autocomplete="off"></label>
        <label for="country">Phone country (when no +) <input id="country" name="country" size="3" maxlength="2"></label>
        <button type="submit">Find</button></form>
        <p class="muted">An e-mail or phone is digested in the bridge with the erasure key, like an erasure request, and is neither stored nor logged.</p>
        """
    }

    static func journeys(_ found: [EventJourney], searched: String) -> HTML {
        guard !found.isEmpty else { return ConsolePage.notice("No sale found for this \(searched).") }
        return "<p role=\"status\">\(found.count) event(s) found.</p>\(found.map(JourneyView.html))"
    }
}

/// A search the page refuses before asking the store.
struct SearchProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
