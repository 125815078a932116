import Foundation
import PropcastTestSupport
import Testing

/// `--log-format json` writes one JSON object per log event (for collectors); text stays the
/// default.
@Suite(.realProcesses) struct LogFormatTests {
    @Test func jsonLogLinesAreOneObjectPerEventWithLevelLabelMessageAndMetadata() async throws {
        let directory = try TemporaryDirectory(prefix: "logs")
        defer { directory.remove() }
        let certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "log-certs")
        defer { try? FileManager.default.removeItem(atPath: certificates.directory) }
        let store = try await SeededStore.shared.path()
        let arguments = ["batch", "run", "--date", SeededStore.date, "--store", store, "--journal-dir", directory.path,
                         "--workers", "127.0.0.1:1", "--cert", certificates.coordinatorCert, "--key", certificates.coordinatorKey,
                         "--ca", certificates.ca, "--connect-grace", "1s", "--wait", "0s"]
        let json = try await SpawnedProcess.run(try PropcastExecutable.path(), arguments + ["--log-format", "json"])
        #expect(json.status == 5, "no worker reachable: \(json.stderr)")
        let events = json.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        try #require(!events.isEmpty, "\(json.stderr)")
        for event in events {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
            #expect(object["level"] as? String == "warning")
            #expect(object["label"] as? String == "propcast.batch")
            #expect((object["message"] as? String)?.isEmpty == false)
            #expect(object["ts"] as? String != nil)
            #expect((object["metadata"] as? [String: Any])?["worker"] as? String == "127.0.0.1:1")
        }
        let text = try await SpawnedProcess.run(try PropcastExecutable.path(), arguments)
        #expect(text.stderr.contains("warning propcast.batch"), "\(text.stderr)")
        #expect(!text.stderr.contains("{\"label\""))
    }
}
