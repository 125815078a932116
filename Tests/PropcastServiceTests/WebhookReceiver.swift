import Foundation
import PropcastTestSupport

/// An HTTP server in Python's standard library (an independent peer) that appends every POST
/// body to a file, one JSON object per line.
final class WebhookReceiver: @unchecked Sendable {
    let process: TestProcess
    let file: String
    let url: String

    static func start(in directory: TemporaryDirectory) async throws -> WebhookReceiver {
        let file = directory.file("webhook.jsonl")
        let script = """
            import http.server, sys
            class Hook(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers['Content-Length']))
                    with open(sys.argv[1], 'ab') as out:
                        out.write(body.replace(b'\\n', b' ') + b'\\n')
                    self.send_response(204)
                    self.end_headers()
                def log_message(self, *args):
                    pass
            server = http.server.HTTPServer(('127.0.0.1', 0), Hook)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        let process = try TestProcess("/usr/bin/env", ["python3", "-c", script, file])
        try await process.waitUntil(timeout: .seconds(20), "the webhook receiver's port") { out, _ in
            Int(String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) != nil
        }
        let port = process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return WebhookReceiver(process: process, file: file, url: "http://127.0.0.1:\(port)/hook")
    }

    private init(process: TestProcess, file: String, url: String) {
        self.process = process
        self.file = file
        self.url = url
    }

    /// Every alert received so far.
    func alerts() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Waits for an alert that `matches`.
    func waitForAlert(timeout: Duration = .seconds(60), _ matches: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let alert = alerts().first(where: matches) { return alert }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("no matching alert within \(timeout); received: \(alerts())")
    }

    func stop() { process.stop() }
}
