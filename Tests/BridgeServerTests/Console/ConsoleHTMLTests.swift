import BridgeCore
import Foundation
import Testing

@testable import BridgeServer

@Suite("Console HTML and assets")
struct ConsoleHTMLTests {
    @Test("text interpolated into HTML is escaped; HTML pieces go in as they are")
    func escaping() {
        let hostile = "<script>alert('x')</script>&\""
        let cell: HTML = "<td>\(hostile)</td>"
        #expect(cell.text == "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;</td>")
        let row: HTML = "<tr>\(cell)</tr>"
        #expect(row.text == "<tr>" + cell.text + "</tr>")
        let missing: String? = nil
        let empty: HTML = "<p>\(missing)</p>"
        #expect(empty.text == "<p></p>")
    }

    @Test("JSON answers render as escaped definition lists with sorted keys")
    func jsonRendering() {
        let html = JSONHTML.render(.object(["b_key": .string("<b>"), "a": .array([.number("1"), .bool(true)])]))
        #expect(html.text == "<dl class=\"json\"><dt>a</dt><dd><ol class=\"json\"><li><span class=\"mono\">1</span></li><li>yes</li></ol></dd><dt>b key</dt><dd>&lt;b&gt;</dd></dl>")
    }

    @Test("the embedded assets are byte for byte the files under Console/Assets")
    func embeddedAssetsMatchFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = root.appendingPathComponent("Sources/BridgeServer/Console/Assets")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ConsoleAssets.files.keys.sorted())
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(ConsoleAssets.files[name] == text, "\(name) differs: run scripts/embed-console-assets.py")
        }
    }

    @Test("every page is a complete document with landmarks, a skip link, and no inline script or style")
    func document() {
        let html = ConsolePage.document(.sales, title: "Sales", user: "anna", csrf: "tok", body: "<p>x</p>").text
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<main id=\"main\""))
        #expect(html.contains("<nav aria-label=\"Console\">"))
        #expect(html.contains("href=\"#main\""))
        #expect(html.contains("<a href=\"/console/sales\" aria-current=\"page\">Sales</a>"))
        #expect(html.contains("name=\"csrf\" value=\"tok\""))
        #expect(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style=") && !html.contains("onclick"))
    }

    @Test("a form body decodes + and percent escapes, keeps repeated names and ignores empty pairs")
    func form() {
        let form = ConsoleForm("id=1&id=22&email=a%2Bb%40example.org&q=two+words&&bad=%zz&csrf=")
        #expect(form.all("id") == ["1", "22"])
        #expect(form["email"] == "a+b@example.org")
        #expect(form["q"] == "two words")
        #expect(form["bad"] == "%zz")
        #expect(form["csrf"] == nil)
        #expect(ConsoleForm.query([("event_id", "sale:1 x"), ("source", nil)]) == "event_id=sale%3A1%20x")
    }
}
