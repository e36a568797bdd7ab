import BridgeCore
import BridgeStore
import Hummingbird

extension ConsoleRoutes {
    /// `GET /console/dead-letters[?destination=&code=]`: the list
    /// (`GET /v1/dead-letters`), with replay and purge of the selected or all matching.
    func deadLetters(_ request: Request, session: ConsoleSession) async -> Response {
        let query = request.uri.queryParameters
        let filter = DeadLetterFilter(destination: query.get("destination").flatMap { $0.isEmpty ? nil : $0 }, code: query.get("code").flatMap { $0.isEmpty ? nil : $0 })
        let letters: [DeadLetter]
        do { letters = try await admin.store.deadLetters(filter, limit: 200) } catch {
            return page(.deadLetters, session: session, body: ConsolePage.notice("The store did not answer.", error: true), status: .serviceUnavailable)
        }
        let csrf = signer.csrfToken(for: session)
        let options = config.destinations.map { destination -> HTML in
            destination.name == filter.destination
                ? "<option value=\"\(destination.name)\" selected>\(destination.name)</option>" : "<option value=\"\(destination.name)\">\(destination.name)</option>"
        }
        let rows = letters.map { letter -> HTML in
            """
            <tr><td><input type="checkbox" name="id" value="\(letter.id)" id="dl-\(letter.id)" form="selected"><label class="skip" for="dl-\(letter.id)">Select \(letter.id)</label></td>\
            <th scope="row"><a href="/console/dead-letters/\(letter.id)">\(letter.id)</a></th><td>\(letter.destination)</td><td>\(letter.eventName)</td>\
            <td><a href="/console/sales?\(ConsoleForm.query([("event_id", letter.eventID), ("source", letter.source)]))">\(letter.eventID)</a></td>\
            <td>\(letter.code)</td><td>\(letter.message)</td><td class="num">\(letter.attempts)</td><td>\(letter.deadAt.rfc3339)</td></tr>
            """
        }
        let hidden: HTML = "\(ConsolePage.csrfField(csrf))<input type=\"hidden\" name=\"destination\" value=\"\(filter.destination)\"><input type=\"hidden\" name=\"code\" value=\"\(filter.code)\">"
        let body: HTML = """
            <form class="filters" method="get" action="/console/dead-letters" aria-label="Filter">
            <label for="destination">Destination <select id="destination" name="destination"><option value="">all</option>\(options)</select></label>
            <label for="code">Code <input id="code" name="code" value="\(filter.code)"></label>
            <button type="submit">Filter</button></form>
            <p role="status">\(letters.count) dead letter(s)\(letters.count == 200 ? " (the first 200)" : "").</p>
            <form id="selected" method="post" action="/console/dead-letters/replay">\(ConsolePage.csrfField(csrf))</form>
            <div class="scroll"><table id="dead-letters"><caption>Dead letters, newest first</caption>
            <thead><tr><th scope="col"><input type="checkbox" data-select-all id="select-all" aria-label="Select all"></th><th scope="col">Id</th><th scope="col">Destination</th>\
            <th scope="col">Event</th><th scope="col">Event id</th><th scope="col">Code</th><th scope="col">Platform message</th><th scope="col" class="num">Attempts</th><th scope="col">Dead since</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            <p><button type="submit" form="selected" id="replay-selected">Replay selected</button></p>
            <form method="post" action="/console/dead-letters/replay">\(hidden)<input type="hidden" name="all" value="1"><button type="submit" id="replay-all">Replay all matching</button></form>
            <form method="post" action="/console/dead-letters/purge">\(hidden)<input type="hidden" name="all" value="1"><button type="submit" class="danger" id="purge-all">Purge all matching</button></form>
            """
        return page(.deadLetters, session: session, body: body)
    }

    /// `GET /console/dead-letters/{id}`: one dead letter with its hashed payload.
    func deadLetter(id text: String, session: ConsoleSession) async -> Response {
        guard let id = Int64(text) else { return page(.deadLetters, session: session, body: ConsolePage.notice("No such dead letter.", error: true), status: .notFound) }
        let letters: [DeadLetter]
        do { letters = try await admin.store.deadLetters(DeadLetterFilter(ids: [id]), limit: 1) } catch {
            return page(.deadLetters, session: session, body: ConsolePage.notice("The store did not answer.", error: true), status: .serviceUnavailable)
        }
        guard let letter = letters.first else {
            return page(.deadLetters, session: session, body: ConsolePage.notice("No such dead letter (replayed or purged?).", error: true), status: .notFound)
        }
        let body: HTML = """
            \(JSONHTML.render(DeadLetterJSON.object(letter)))
            <h2>Stored payload (hashed)</h2>\(DeadLetterJSON.payload(letter.payload).map { JSONHTML.render($0) } ?? "<p class=\"muted\">No payload stored.</p>")
            <form method="post" action="/console/dead-letters/replay">\(ConsolePage.csrfField(signer.csrfToken(for: session)))\
            <input type="hidden" name="id" value="\(letter.id)"><button type="submit">Replay this dead letter</button></form>
            <p><a href="/console/dead-letters">All dead letters</a></p>
            """
        return page(.deadLetters, title: "Dead letter \(letter.id)", session: session, body: body)
    }

    /// `POST /console/dead-letters/replay` (CSRF): asks for confirmation, then
    /// replays the selected ids or all matching the filter (`store.replayDeadLetters`, as `POST /v1/dead-letters/replay`).
    func replay(session: ConsoleSession, form: ConsoleForm) async -> Response {
        await change(session: session, form: form, verb: "Replay", path: "/console/dead-letters/replay") { filter throws(StoreError) in
            try await admin.store.replayDeadLetters(filter, now: now)
        }
    }

    /// `POST /console/dead-letters/purge` (CSRF): asks for confirmation, then deletes (`store.purgeDeadLetters`).
    func purge(session: ConsoleSession, form: ConsoleForm) async -> Response {
        await change(session: session, form: form, verb: "Purge", path: "/console/dead-letters/purge") { filter throws(StoreError) in
            try await admin.store.purgeDeadLetters(filter)
        }
    }

    private func change(
        session: ConsoleSession, form: ConsoleForm, verb: String, path: String, apply: (DeadLetterFilter) async throws(StoreError) -> Int
    ) async -> Response {
        let ids = form.all("id").compactMap { Int64($0) }
        var filter = DeadLetterFilter(destination: form["destination"], code: form["code"])
        if !ids.isEmpty { filter.ids = ids }
        guard !ids.isEmpty || form["all"] == "1" else {
            return page(.deadLetters, session: session, body: ConsolePage.notice("Select at least one dead letter.", error: true) + "<p><a href=\"/console/dead-letters\">Back</a></p>", status: .badRequest)
        }
        guard form["confirmed"] == "yes" else {
            let count: Int
            do { count = try await admin.store.deadLetters(filter, limit: 1000).count } catch {
                return page(.deadLetters, session: session, body: ConsolePage.notice("The store did not answer.", error: true), status: .serviceUnavailable)
            }
            let carried = form.fields.filter { $0.name != "confirmed" && $0.name != "csrf" }.map { field -> HTML in
                "<input type=\"hidden\" name=\"\(field.name)\" value=\"\(field.value)\">"
            }
            let body: HTML = """
                <p>\(verb) \(count == 1000 ? "1000 or more" : String(count)) dead letter(s)\(filter.destination.map { " of \($0)" } ?? "")\(filter.code.map { " with code \($0)" } ?? "")?</p>
                <form method="post" action="\(path)">\(ConsolePage.csrfField(signer.csrfToken(for: session)))\(carried)\
                <input type="hidden" name="confirmed" value="yes"><button type="submit" id="confirm"\(verb == "Purge" ? " class=\"danger\"" : "")>Yes, \(verb.lowercased())</button> \
                <a href="/console/dead-letters">Cancel</a></form>
                """
            return page(.deadLetters, title: "\(verb) dead letters?", session: session, body: body)
        }
        do {
            let changed = try await apply(filter)
            return page(
                .deadLetters, title: "Dead letters", session: session,
                body: ConsolePage.notice("\(verb == "Replay" ? "Replayed" : "Purged") \(changed) dead letter(s).") + "<p><a href=\"/console/dead-letters\">Back to the dead letters</a></p>")
        } catch {
            return page(.deadLetters, session: session, body: ConsolePage.notice("The store did not answer.", error: true), status: .serviceUnavailable)
        }
    }
}
