import Foundation
import Testing
@testable import PropcastService

@Suite struct AlertBookTests {
    @Test func aConditionAlertsOnceUntilItClearsThenResolvesOnce() throws {
        var book = AlertBook(coordinator: "c1")
        let raised = book.raise(.coverageSLA, "2025-01-15", "coverage 80 % < 90 %")
        let firing = try #require(raised)
        #expect(firing.state == .firing)
        #expect(firing.text == "[propcast FIRING] coverage_sla 2025-01-15: coverage 80 % < 90 % (coordinator c1)")
        let second = book.raise(.coverageSLA, "2025-01-15", "coverage 79 % < 90 %")
        #expect(second == nil, "a second alert while firing")
        let otherDate = book.raise(.coverageSLA, "2025-01-16", "another date")
        #expect(otherDate != nil, "dates alert separately")
        let otherCondition = book.raise(.workerDown, "10.0.0.5:7420", "down")
        #expect(otherCondition != nil, "conditions alert separately")
        #expect(book.active.count == 3)
        let cleared = book.clear(.coverageSLA, "2025-01-15", "coverage 95 %")
        let resolved = try #require(cleared)
        #expect(resolved.state == .resolved && resolved.text.hasPrefix("[propcast RESOLVED] coverage_sla 2025-01-15"))
        let twice = book.clear(.coverageSLA, "2025-01-15", "again")
        #expect(twice == nil, "resolved twice")
        let never = book.clear(.qualityGate, "2025-01-15", "never raised")
        #expect(never == nil)
        let again = book.raise(.coverageSLA, "2025-01-15", "breached again")
        #expect(again != nil, "raised again after it cleared")
    }

    @Test func theWebhookBodyIsSnakeCaseJSONWithASlackText() throws {
        let alert = Alert(state: .firing, condition: .storeNotReady, subject: "2025-01-15", message: "not ready by 07:00",
                          coordinator: "c1", at: Date(timeIntervalSince1970: 0))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(alert), as: UTF8.self)
        #expect(json == #"{"at":"1970-01-01T00:00:00Z","condition":"store_not_ready","coordinator":"c1","message":"not ready by 07:00","#
                + #""state":"firing","subject":"2025-01-15","text":"[propcast FIRING] store_not_ready 2025-01-15: not ready by 07:00 (coordinator c1)"}"#)
    }
}
