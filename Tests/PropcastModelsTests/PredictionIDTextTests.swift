import Foundation
import PropcastModels
import Testing

/// The id's text form, parsed and printed without Foundation's UUID string routines.
@Suite struct PredictionIDTextTests {
    @Test func textRoundTripsAndAgreesWithFoundation() throws {
        for _ in 0..<500 {
            let uuid = UUID()
            let id = PredictionID(uuid: uuid)
            #expect(id.description == uuid.uuidString.lowercased())
            #expect(PredictionID(id.description) == id)
            #expect(PredictionID(uuid.uuidString) == id, "uppercase is accepted too")
        }
    }

    @Test func malformedTextIsRefused() {
        let good = "0b9e3f8e-6a51-8c2d-9f4e-1a2b3c4d5e6f"
        #expect(PredictionID(good) != nil)
        for bad in ["", "0b9e3f8e6a518c2d9f4e1a2b3c4d5e6f", "0b9e3f8e-6a51-8c2d-9f4e-1a2b3c4d5e6", "0b9e3f8e-6a51-8c2d-9f4e-1a2b3c4d5e6f0",
                    "0b9e3f8g-6a51-8c2d-9f4e-1a2b3c4d5e6f", "0b9e3f8e_6a51-8c2d-9f4e-1a2b3c4d5e6f", "0b9e3f8e-6a51-8c2d-9f4e-1a2b3c4d5e6-",
                    " 0b9e3f8e-6a51-8c2d-9f4e-1a2b3c4d5e6f"] {
            #expect(PredictionID(bad) == nil, "\(bad)")
        }
    }
}
